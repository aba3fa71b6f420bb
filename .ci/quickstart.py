"""Print the shell commands of the README's Quick start section, one per line.

CI runs exactly these, so the README cannot drift from what works.
"""

import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M)
if section is None:
    sys.exit("README.md has no '## Quick start' section")
blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section.group(1), re.S)
commands = [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]
if len(commands) != 2:
    sys.exit(f"the Quick start should hold exactly two commands, found {len(commands)}")
print("\n".join(commands))
