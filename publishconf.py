"""Production settings: absolute URLs, and any content error stops the build."""

import os
import sys

sys.path.append(os.curdir)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *

# Where the site is served. Set SITEURL in the environment to build for
# another host (a staging copy, a pull request preview).
SITEURL = os.environ.get("SITEURL", "https://onesmallstep.example.org")
RELATIVE_URLS = False
SITE_ABSOLUTE_URL = SITEURL
OUTPUT_PATH = os.environ.get("OUTPUT_PATH", os.path.join(PROJECT_ROOT, "output"))

# A content error in a story that would be published fails the build.
STORY_STRICT = True
STORY_PREVIEW = False

# Serve audio from a CDN or object store: set the base URL here or in the
# environment; audio is then copied to STORY_MEDIA_OUTPUT_PATH for upload.
STORY_MEDIA_URL = os.environ.get("STORY_MEDIA_URL", "")

DELETE_OUTPUT_DIRECTORY = True
