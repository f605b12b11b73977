"""Production settings: absolute URLs, and any content error stops the build."""

import os
import sys

sys.path.append(os.curdir)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *

# Where the site is served. Set SITEURL in the environment, or override it
# with `pelican -s publishconf.py -e SITEURL='"https://staging.example.org"'`,
# to build for another host (a staging copy, a pull request preview): every
# absolute URL follows SITEURL (portal/site_address.py), and a feed for any
# address but SITE_PRODUCTION_URL is marked not to be listed.
#
# The public site's address (only its feed may be listed by directories):
# SITE_PRODUCTION_URL from the environment, else a SITEURL set there (a
# publish configured through the environment, like the content repository's
# workflow, is the production site's), else pelicanconf.py's. To build a
# staging copy through the environment, set SITE_PRODUCTION_URL too.
SITE_PRODUCTION_URL = (
    os.environ.get("SITE_PRODUCTION_URL")
    or os.environ.get("SITEURL")
    or SITE_PRODUCTION_URL
)
SITEURL = os.environ.get("SITEURL") or SITE_PRODUCTION_URL
RELATIVE_URLS = False
OUTPUT_PATH = os.environ.get("OUTPUT_PATH") or os.path.join(PROJECT_ROOT, "output")

# A content error in a story that would be published fails the build.
STORY_STRICT = True
STORY_PREVIEW = False
# No development form endpoint: a form without an action is linked nowhere.
SIGNUP_FORMS_DEV_ENDPOINT = ""

# Serve audio from a CDN or object store: set the base URL here or in the
# environment; audio is then copied to STORY_MEDIA_OUTPUT_PATH for upload.
STORY_MEDIA_URL = os.environ.get("STORY_MEDIA_URL", "")

DELETE_OUTPUT_DIRECTORY = True

# Where `./dev publish` sends the site after building it (see README.md,
# "Publishing"). Each setting comes from the environment, so CI and each
# computer can have their own; secrets never go here (SSH keys, and for S3
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment).
DEPLOY_TARGETS = os.environ.get("DEPLOY_TARGETS", "")  # "rsync,s3,github-pages"
DEPLOY_RSYNC_TARGET = os.environ.get("DEPLOY_RSYNC_TARGET", "")
DEPLOY_RSYNC_MEDIA_TARGET = os.environ.get("DEPLOY_RSYNC_MEDIA_TARGET", "")
DEPLOY_RSYNC_SSH = os.environ.get("DEPLOY_RSYNC_SSH", "ssh")
DEPLOY_S3_BUCKET = os.environ.get("DEPLOY_S3_BUCKET", "")
DEPLOY_S3_PREFIX = os.environ.get("DEPLOY_S3_PREFIX", "")
DEPLOY_S3_MEDIA_BUCKET = os.environ.get("DEPLOY_S3_MEDIA_BUCKET", "")
DEPLOY_S3_MEDIA_PREFIX = os.environ.get("DEPLOY_S3_MEDIA_PREFIX", "")
DEPLOY_S3_ENDPOINT_URL = os.environ.get("DEPLOY_S3_ENDPOINT_URL", "")
DEPLOY_S3_REGION = os.environ.get("DEPLOY_S3_REGION", "")
DEPLOY_S3_CORS_ORIGINS = os.environ.get("DEPLOY_S3_CORS_ORIGINS", "*")
DEPLOY_GITHUB_PAGES_REMOTE = os.environ.get("DEPLOY_GITHUB_PAGES_REMOTE", "origin")
DEPLOY_GITHUB_PAGES_BRANCH = os.environ.get("DEPLOY_GITHUB_PAGES_BRANCH", "gh-pages")
DEPLOY_GITHUB_PAGES_CNAME = os.environ.get("DEPLOY_GITHUB_PAGES_CNAME", "")

# The editing UI at /admin/ is left out of the public site unless
# EDITING_UI=true; editors then sign in with GitHub and save to the content
# repository (templates/content-repo/README.md, "Editing in the browser").
EDITING_UI = os.environ.get("EDITING_UI", "false")
EDITING_UI_LOCAL_BACKEND = ""
EDITING_UI_GITHUB_REPO = os.environ.get("EDITING_UI_GITHUB_REPO", "")
EDITING_UI_GITHUB_BRANCH = os.environ.get("EDITING_UI_GITHUB_BRANCH", "main")
EDITING_UI_AUTH_URL = os.environ.get("EDITING_UI_AUTH_URL", "")
EDITING_UI_AUTH_ENDPOINT = os.environ.get("EDITING_UI_AUTH_ENDPOINT", "")
