"""``cope-desktop`` entry point: the GUI without a sub-command, the CLI with one."""

import sys


def main() -> int:
    from cope_desktop.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
