"""Fixtures of the browser suite: the emulator, the image-server stack applied to it with the
imgstack binary, the CloudFront stand-in running the edge function, and headless Chromium."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).with_name("support")))
