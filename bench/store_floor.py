#!/usr/bin/env python3
"""Storing the import's rows alone: the documents of an imported database written into a fresh
one in one transaction (WAL, synchronous=NORMAL, as the app), then closed (checkpoint)."""
import sqlite3, time, os, sys
src = sys.argv[1]
dst = os.path.join(os.path.dirname(os.path.abspath(src)), 'store-floor.db')
for f in [dst, dst + '-wal', dst + '-shm']:
    if os.path.exists(f): os.remove(f)
s = sqlite3.connect(src)
schema = [r[0] for r in s.execute("select sql from sqlite_master where tbl_name='documents' and sql is not null")]
cols = [r[1] for r in s.execute("pragma table_info(documents)")]
rows = s.execute("select %s from documents" % ",".join(cols)).fetchall()
s.close()
size = sum(len(v) if isinstance(v, (str, bytes)) else 8 for r in rows for v in r)
t0 = time.time()
d = sqlite3.connect(dst, isolation_level=None)
d.execute('pragma journal_mode=wal'); d.execute('pragma synchronous=normal')
for stmt in schema: d.execute(stmt)
d.execute('begin')
d.executemany("insert into documents(%s) values(%s)" % (",".join(cols), ",".join("?" * len(cols))), rows)
t1 = time.time(); d.execute('commit'); t2 = time.time(); d.close(); t3 = time.time()
print("%d rows, %.0f MB: insert %.2f s, commit %.2f s, close %.2f s, total %.2f s" % (len(rows), size / 1e6, t1 - t0, t2 - t1, t3 - t2, t3 - t0))
