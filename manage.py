#!/usr/bin/env python
"""Django's command-line utility; `shuangsuiji` is the same with the demo and serve commands."""

import sys

from shuangsuiji.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
