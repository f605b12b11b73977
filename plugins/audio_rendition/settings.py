"""The AUDIO_RENDITION_* settings: defaults and checks, in one place.

Every value shapes the file listeners get, so every value is also part of
the rendition's cache key (``RenditionSettings.encoding_key`` and
``tagging_key``): changing one makes new renditions, never a mix."""

from __future__ import annotations

import dataclasses
import os

FORMATS = {
    # format -> (file extension, MIME type from portal/mime.py's table)
    "mp3": (".mp3", "audio/mpeg"),
    "m4a": (".m4a", "audio/x-m4a"),
}
SAMPLE_RATES = (22050, 32000, 44100, 48000)

DEFAULTS = {
    # MP3 plays everywhere; "m4a" makes AAC in M4A (Apple's other format).
    "AUDIO_RENDITION_FORMAT": "mp3",
    # kbit/s. 64 kbit/s mono is a common podcast rate for speech; use 128
    # for stereo or music.
    "AUDIO_RENDITION_BITRATE": 64,
    # 1: mono (speech; half the size of stereo at the same quality), or 2.
    "AUDIO_RENDITION_CHANNELS": 1,
    "AUDIO_RENDITION_SAMPLE_RATE": 44100,
    # Integrated loudness (LUFS) and true-peak ceiling (dBTP): Apple's
    # recommendation for podcasts. A mono file is measured as dual mono, the
    # way it is heard on two speakers or earphones (AES TD1004).
    "AUDIO_RENDITION_LOUDNESS": -16.0,
    "AUDIO_RENDITION_TRUE_PEAK": -1.0,
    # The loudness range loudnorm keeps before it starts compressing (LU).
    "AUDIO_RENDITION_LOUDNESS_RANGE": 11.0,
    # A master further than this (LU) from the target is flagged in the
    # build report: normalizing it changes it a lot.
    "AUDIO_RENDITION_FAR_FROM_TARGET": 10.0,
    # Artwork embedded in the file, in pixels (square).
    "AUDIO_RENDITION_ARTWORK_SIZE": 1400,
    # Also publish the editors' master beside the rendition, offered in the
    # feed as podcast:alternateEnclosure (never as the enclosure).
    "AUDIO_RENDITION_PUBLISH_MASTER": False,
    # Where renditions are kept between builds; empty: CACHE_PATH/audio_rendition.
    "AUDIO_RENDITION_CACHE_PATH": "",
    # Remove, after a build, the cached files no story uses. False for a
    # folder that builds of other content use at the same time (a test run's
    # shared cache): what one build does not use, another may be reading.
    "AUDIO_RENDITION_PRUNE": True,
}


class RenditionSettingsError(ValueError):
    """A setting with a value we cannot make audio with."""

    def __init__(self, name: str, value, fix: str):
        super().__init__(f"pelicanconf.py: {name} = {value!r} - {fix}")


@dataclasses.dataclass(frozen=True)
class RenditionSettings:
    format: str
    bitrate: int
    channels: int
    sample_rate: int
    loudness: float
    true_peak: float
    loudness_range: float
    far_from_target: float
    artwork_size: int
    publish_master: bool
    cache_path: str | None
    prune: bool = True

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format][1]

    @property
    def encoding(self) -> dict:
        """What shapes the encoded audio (part of its cache key)."""
        return {
            "format": self.format,
            "bitrate": self.bitrate,
            "channels": self.channels,
            "sample_rate": self.sample_rate,
            "loudness": self.loudness,
            "true_peak": self.true_peak,
            "loudness_range": self.loudness_range,
        }

    def describe(self) -> str:
        layout = "mono" if self.channels == 1 else "stereo"
        return (
            f"{self.format.upper()} {self.bitrate} kbit/s {layout}, "
            f"{self.loudness:g} LUFS, true peak under {self.true_peak:g} dBTP"
        )


def _number(name, value, low, high, fix, whole=False):
    kinds = (int,) if whole else (int, float)
    if (
        isinstance(value, bool)
        or not isinstance(value, kinds)
        or not (low <= value <= high)
    ):
        raise RenditionSettingsError(name, value, fix)
    return value


def settings(pelican_settings) -> RenditionSettings:
    """The checked settings; RenditionSettingsError names a wrong one."""
    raw = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    fmt = raw["AUDIO_RENDITION_FORMAT"]
    if fmt not in FORMATS:
        raise RenditionSettingsError(
            "AUDIO_RENDITION_FORMAT", fmt, "use 'mp3' or 'm4a' (AAC in M4A)"
        )
    channels = raw["AUDIO_RENDITION_CHANNELS"]
    if channels not in (1, 2) or isinstance(channels, bool):
        raise RenditionSettingsError(
            "AUDIO_RENDITION_CHANNELS", channels, "use 1 (mono) or 2 (stereo)"
        )
    rate = raw["AUDIO_RENDITION_SAMPLE_RATE"]
    if rate not in SAMPLE_RATES or isinstance(rate, bool):
        raise RenditionSettingsError(
            "AUDIO_RENDITION_SAMPLE_RATE",
            rate,
            "use one of " + ", ".join(str(r) for r in SAMPLE_RATES),
        )
    publish_master = raw["AUDIO_RENDITION_PUBLISH_MASTER"]
    if not isinstance(publish_master, bool):
        raise RenditionSettingsError(
            "AUDIO_RENDITION_PUBLISH_MASTER", publish_master, "use True or False"
        )
    cache = raw["AUDIO_RENDITION_CACHE_PATH"]
    if not isinstance(cache, str):
        raise RenditionSettingsError(
            "AUDIO_RENDITION_CACHE_PATH", cache, "give a folder path, or ''"
        )
    prune = raw["AUDIO_RENDITION_PRUNE"]
    if not isinstance(prune, bool):
        raise RenditionSettingsError(
            "AUDIO_RENDITION_PRUNE", prune, "use True or False"
        )
    if not cache and pelican_settings.get("CACHE_PATH"):
        cache = os.path.join(pelican_settings["CACHE_PATH"], "audio_rendition")
    return RenditionSettings(
        format=fmt,
        bitrate=_number(
            "AUDIO_RENDITION_BITRATE",
            raw["AUDIO_RENDITION_BITRATE"],
            32,
            320,
            "give kbit/s as a whole number from 32 to 320, like 64",
            whole=True,
        ),
        channels=channels,
        sample_rate=rate,
        loudness=float(
            _number(
                "AUDIO_RENDITION_LOUDNESS",
                raw["AUDIO_RENDITION_LOUDNESS"],
                -30,
                -9,
                "give LUFS from -30 to -9, like -16",
            )
        ),
        true_peak=float(
            _number(
                "AUDIO_RENDITION_TRUE_PEAK",
                raw["AUDIO_RENDITION_TRUE_PEAK"],
                -9,
                0,
                "give dBTP from -9 to 0, like -1",
            )
        ),
        loudness_range=float(
            _number(
                "AUDIO_RENDITION_LOUDNESS_RANGE",
                raw["AUDIO_RENDITION_LOUDNESS_RANGE"],
                1,
                20,
                "give LU from 1 to 20, like 11",
            )
        ),
        far_from_target=float(
            _number(
                "AUDIO_RENDITION_FAR_FROM_TARGET",
                raw["AUDIO_RENDITION_FAR_FROM_TARGET"],
                1,
                40,
                "give LU from 1 to 40, like 10",
            )
        ),
        artwork_size=_number(
            "AUDIO_RENDITION_ARTWORK_SIZE",
            raw["AUDIO_RENDITION_ARTWORK_SIZE"],
            300,
            3000,
            "give pixels from 300 to 3000, like 1400",
            whole=True,
        ),
        publish_master=publish_master,
        cache_path=cache or None,
        prune=prune,
    )
