import sys

from shuangsuiji.cli import main

sys.exit(main())
