#!/usr/bin/env python3
"""Writes FOLDER/mos.csv for the research-window screenshots: an invented MOS (1..5) for the
photos qualiclip-sample-photos makes, by degradation kind plus a little seeded jitter. It is
not human data; it only gives the window something to plot.  Usage: make_research_mos.py FOLDER"""
import random
import sys

folder = sys.argv[1]
random.seed(4)
base = {'sharp': 4.4, 'jpeg': 3.3, 'lowres': 2.9, 'noise': 2.5, 'blur': 2.0, 'dark': 1.8}
kinds = ['sharp', 'blur', 'noise', 'jpeg', 'dark', 'lowres']
with open(f'{folder}/mos.csv', 'w') as f:
    f.write('image_name,MOS\n')
    for i in range(1, 31):
        kind = kinds[(i - 1) % 6]
        f.write(f'photo_{i:02d}_{kind}.jpg,{base[kind] + random.uniform(-0.35, 0.35):.2f}\n')
