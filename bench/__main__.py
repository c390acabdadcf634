import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench import run  # the models need django.setup() first

    try:
        run.main(sys.argv[1:])
    except run.BenchError as error:
        sys.exit(f"bench: {error}")


main()
