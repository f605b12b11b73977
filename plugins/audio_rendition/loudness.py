"""Measuring loudness with ffmpeg: a master before, a rendition after.

A master is measured in one decoding pass: ``astats`` reads each channel's
peak and level as recorded (to find clipping, silence and a recording that
is in one channel only), then ``loudnorm`` measures integrated loudness,
true peak and loudness range of the signal the rendition is made from (after
the downmix to mono, when the rendition is mono). Those measurements are the
first of loudnorm's two passes; ``encode`` applies them in the second.

A rendition is measured with the ``ebur128`` filter, an independent meter,
so the build report's "after" is a measurement of the file listeners get."""

from __future__ import annotations

import dataclasses
import json
import math
import re

from . import ffmpeg

# Below this integrated loudness a master holds no usable sound.
SILENT_LUFS = -70.0
# A channel this far below the loudest one holds nothing of the recording.
EMPTY_CHANNEL_DB = 40.0
# Peaks at full scale this many times over: the recorder clipped.
CLIPPED_PEAK_COUNT = 8
FULL_SCALE_DB = -0.1


@dataclasses.dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS (-inf for silence)
    true_peak: float  # dBTP
    loudness_range: float  # LU

    def describe(self) -> str:
        if math.isinf(self.integrated):
            return "silent"
        return f"{self.integrated:.1f} LUFS, true peak {self.true_peak:.1f} dBTP"


@dataclasses.dataclass(frozen=True)
class Channel:
    peak_db: float
    rms_db: float
    peak_count: int


@dataclasses.dataclass(frozen=True)
class MasterMeasurement:
    """loudnorm's first pass, and what astats saw in each channel."""

    loudness: Loudness
    threshold: float  # loudnorm's measured_thresh
    target_offset: float
    channels: tuple[Channel, ...]

    @property
    def silent(self) -> bool:
        return self.loudness.integrated < SILENT_LUFS

    def flags(self, target: float, far: float) -> list[str]:
        """What an editor should hear about this master, in words."""
        out = []
        if self.silent:
            out.append("silent: it holds no sound loud enough to measure")
        clipped = [
            c for c in self.channels
            if c.peak_db >= FULL_SCALE_DB and c.peak_count >= CLIPPED_PEAK_COUNT
        ]  # fmt: skip
        if clipped:
            count = max(c.peak_count for c in clipped)
            out.append(f"clipped: it reaches full scale {count} times")
        if len(self.channels) >= 2 and not self.silent:
            loudest = max(c.rms_db for c in self.channels)
            empty = [
                number
                for number, c in enumerate(self.channels, 1)
                if loudest - c.rms_db >= EMPTY_CHANNEL_DB
            ]
            if empty and loudest > -60:
                out.append(
                    "one channel only: channel "
                    + ", ".join(str(n) for n in empty)
                    + " is silent"
                )
        if not self.silent and abs(self.loudness.integrated - target) > far:
            out.append(
                f"far from the target: {self.loudness.integrated:.1f} LUFS, "
                f"{abs(self.loudness.integrated - target):.0f} LU from {target:g}"
            )
        return out

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> MasterMeasurement:
        return cls(
            Loudness(**data["loudness"]),
            data["threshold"],
            data["target_offset"],
            tuple(Channel(**c) for c in data["channels"]),
        )


def downmix_filter(channels: int) -> str:
    return "aformat=channel_layouts=" + ("mono" if channels == 1 else "stereo")


def loudnorm_targets(loudness: float, true_peak: float, loudness_range: float,
                     channels: int) -> str:  # fmt: skip
    return (
        f"I={loudness:g}:TP={true_peak:g}:LRA={loudness_range:g}"
        f":dual_mono={'true' if channels == 1 else 'false'}"
    )


def measure_master(path: str, name: str, settings) -> MasterMeasurement:
    """The first pass over ``path``: loudness and each channel's levels."""
    filters = ",".join(
        [
            "astats=measure_perchannel=Peak_level+RMS_level+Peak_count"
            ":measure_overall=none",
            downmix_filter(settings.channels),
            "loudnorm="
            + loudnorm_targets(
                settings.loudness,
                settings.true_peak,
                settings.loudness_range,
                settings.channels,
            )
            + ":print_format=json",
        ]
    )
    log = ffmpeg.run(
        ["-i", path, "-map", "0:a:0", "-af", filters, "-f", "null", "-"],
        f"reading '{name}'",
    )
    values = _loudnorm_json(log, name)
    return MasterMeasurement(
        loudness=Loudness(
            _float(values["input_i"]),
            _float(values["input_tp"]),
            _float(values["input_lra"]),
        ),
        threshold=_float(values["input_thresh"]),
        target_offset=_float(values["target_offset"]),
        channels=_astats_channels(log),
    )


def measure_rendition(path: str, name: str, channels: int) -> Loudness:
    """Integrated loudness, true peak and range of a finished file (ebur128)."""
    dual_mono = "true" if channels == 1 else "false"
    log = ffmpeg.run(
        [
            "-i",
            path,
            "-map",
            "0:a:0",
            "-af",
            f"ebur128=peak=true:dualmono={dual_mono}:framelog=verbose",
            "-f",
            "null",
            "-",
        ],
        f"measuring '{name}'",
    )
    return parse_ebur128(log)


def parse_ebur128(log: str) -> Loudness:
    summary = log[log.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    lra = re.search(r"LRA:\s+(-?[\d.]+) LU", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not (integrated and lra and peak):
        raise ffmpeg.FFmpegError(
            "ffmpeg's loudness meter (ebur128) printed no summary",
            "check that ffmpeg is a full build (ffmpeg -filters lists ebur128)",
        )
    return Loudness(
        _float(integrated.group(1)), _float(peak.group(1)), _float(lra.group(1))
    )


def _loudnorm_json(log: str, name: str) -> dict:
    start = log.rfind("{")
    end = log.rfind("}")
    try:
        return json.loads(log[start : end + 1])
    except ValueError as error:
        raise ffmpeg.FFmpegError(
            f"ffmpeg measured no loudness for '{name}'",
            "export the audio again; ffmpeg could not decode it",
        ) from error


def _astats_channels(log: str) -> tuple[Channel, ...]:
    channels = []
    for block in re.split(r"\] Channel: \d+", log)[1:]:
        channels.append(
            Channel(
                peak_db=_float(_stat(block, "Peak level dB")),
                rms_db=_float(_stat(block, "RMS level dB")),
                peak_count=int(float(_stat(block, "Peak count") or 0)),
            )
        )
    return tuple(channels)


def _stat(block: str, label: str) -> str:
    match = re.search(rf"{label}: (\S+)", block)
    return match.group(1) if match else "-inf"


def _float(text: str) -> float:
    text = str(text).strip()
    if text in ("-inf", "inf", "+inf"):
        return float(text)
    try:
        return float(text)
    except ValueError:
        return float("-inf")
