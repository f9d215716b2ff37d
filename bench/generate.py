#!/usr/bin/env python3
"""Writes N synthetic but valid factsheets (default 10,000) into <dir>/factsheets/."""
import os
import random
import sys

PHENOMENA = ["jihadisme", "rechts-extremisme", "links-extremisme", "anti-institutioneel-extremisme", "fenomeenoverstijgend"]
AUDIENCE = ["veiligheid", "onderwijs", "zorg", "sociaal-domein", "gemeente"]
WORDS = ("radicalisering extremisme professional signaal gesprek context school wijk gemeente zorg "
         "veiligheid netwerk ideologie online polarisatie weerbaarheid begeleiding casus duiding "
         "advies consultatie jongere familie omgeving risico bescherming samenwerking").split()


def paragraph(rng, words=60):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def factsheet(i, rng):
    slug = f"synthetisch-{i:05d}"
    month = 1 + i % 12
    body = [paragraph(rng)]
    for section in range(5):
        body.append(f"## Onderdeel {section + 1} van factsheet {i}")
        body.append(paragraph(rng) + "[^1]")
        body.append(f"### Verdieping {section + 1}")
        body.append(paragraph(rng))
    body.append("| Signaal | Context |\n|---|---|\n| " + paragraph(rng, 5) + " | " + paragraph(rng, 5) + " |")
    body.append("[^1]: Synthetische bron.")
    return slug, f"""---
title: "Synthetische factsheet {i}"
slug: {slug}
summary: "Gegenereerd voor de benchmark."
phenomena: [{rng.choice(PHENOMENA)}]
audience: [{", ".join(rng.sample(AUDIENCE, 2))}]
owner: "Benchmark"
reviewed_on: 2026-{month:02d}-01
review_due: 2027-{month:02d}-01
status: published
sources:
  - title: "Bron"
    url: "https://example.org/{i}"
---
""" + "\n\n".join(body) + "\n"


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    rng = random.Random(42)
    folder = os.path.join(out, "factsheets")
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        slug, text = factsheet(i, rng)
        with open(os.path.join(folder, slug + ".md"), "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
