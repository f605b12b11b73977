"""Making the delivery rendition: loudnorm's second pass and the encoder.

The first pass (``loudness.measure_master``) measured the master; here those
values go back into loudnorm (``measured_*``, ``linear=true``), so the whole
conversation gets one gain where that reaches the target without passing the
true-peak ceiling, and loudnorm's gentle dynamic mode where it cannot.

An encoder adds its own overshoot to the peaks (MP3 and AAC more at low bit
rates), so the ceiling given to loudnorm starts below the target and the
finished file is measured: if its true peak still reaches the target, it is
made again with a lower ceiling. The file is then read back whole by mutagen
(a decoder's view of its frames) and its length compared with the master's.
"""

from __future__ import annotations

import dataclasses
import os

import mutagen

from portal.writing import atomic_path

from . import ffmpeg, loudness
from .loudness import Loudness, MasterMeasurement

# Room left for the encoder's overshoot on the first try (dB).
ENCODER_HEADROOM = 0.5
# The finished file's true peak must stay this far under the target (dB).
PEAK_MARGIN = 0.1
ATTEMPTS = 3
# A rendition may differ from its master's length by encoder padding only.
MAX_LENGTH_DIFFERENCE = 1.0


class RenditionError(ffmpeg.FFmpegError):
    """A rendition that could not be made right."""


@dataclasses.dataclass(frozen=True)
class Encoded:
    loudness: Loudness  # of the finished file (ebur128)
    duration: float  # seconds, read back by mutagen
    attempts: int


def codec_arguments(settings) -> list[str]:
    if settings.format == "mp3":
        # Constant bit rate with a Xing/LAME header: every app seeks it
        # exactly and knows its length; no ID3 yet (tags.py writes them).
        return [
            "-c:a", "libmp3lame", "-b:a", f"{settings.bitrate}k",
            "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3",
        ]  # fmt: skip
    return [
        "-c:a", "aac", "-b:a", f"{settings.bitrate}k",
        "-movflags", "+faststart", "-f", "ipod",
    ]  # fmt: skip


def second_pass_filter(measured: MasterMeasurement, settings, ceiling: float) -> str:
    steps = [loudness.downmix_filter(settings.channels)]
    if not measured.silent:
        values = measured.loudness
        steps.append(
            "loudnorm="
            + loudness.loudnorm_targets(
                settings.loudness, ceiling, settings.loudness_range, settings.channels
            )
            + f":measured_I={values.integrated:.2f}"
            f":measured_TP={max(values.true_peak, -99):.2f}"
            f":measured_LRA={values.loudness_range:.2f}"
            f":measured_thresh={max(measured.threshold, -99):.2f}"
            f":offset={measured.target_offset:.2f}:linear=true"
        )
    # loudnorm works at 192 kHz; back to the rendition's rate.
    steps.append(f"aresample={settings.sample_rate}")
    return ",".join(steps)


def encode(
    master: str,
    target: str,
    name: str,
    measured: MasterMeasurement,
    master_duration: float,
    settings,
) -> Encoded:
    """Write the normalized, encoded (untagged) rendition of ``master``."""
    ceiling = settings.true_peak - ENCODER_HEADROOM
    # Named with the real extension: mutagen and ffmpeg read the type from it.
    with atomic_path(target, os.path.splitext(target)[1]) as temporary:
        for attempt in range(1, ATTEMPTS + 1):  # noqa: B007 (reported below)
            ffmpeg.run(
                [
                    "-y", "-i", master, "-map", "0:a:0",
                    "-map_metadata", "-1", "-map_chapters", "-1",
                    "-af", second_pass_filter(measured, settings, ceiling),
                    "-ar", str(settings.sample_rate),
                    "-ac", str(settings.channels),
                    *codec_arguments(settings), temporary,
                ],
                f"encoding '{name}'",
            )  # fmt: skip
            result = loudness.measure_rendition(temporary, name, settings.channels)
            if measured.silent or result.true_peak <= settings.true_peak - PEAK_MARGIN:
                break
            # Lower the ceiling by what the encoder added, and a little more.
            ceiling -= result.true_peak - (settings.true_peak - PEAK_MARGIN) + 0.2
        else:
            raise RenditionError(
                f"the rendition of '{name}' still peaks at "
                f"{result.true_peak:.1f} dBTP after {ATTEMPTS} tries",
                "lower AUDIO_RENDITION_LOUDNESS or raise AUDIO_RENDITION_BITRATE",
            )
        duration = _decoded_length(temporary, name)
        if abs(duration - master_duration) > MAX_LENGTH_DIFFERENCE:
            raise RenditionError(
                f"the rendition of '{name}' is {duration:.1f} s long but the "
                f"master is {master_duration:.1f} s",
                "export the audio again; ffmpeg could not decode all of it",
            )
    return Encoded(result, duration, attempt)


def _decoded_length(path: str, name: str) -> float:
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as error:
        raise RenditionError(
            f"the rendition of '{name}' cannot be read back ({error})",
            "report this with the audio file; ffmpeg wrote a broken file",
        ) from error
    if audio is None or not getattr(audio.info, "length", 0):
        raise RenditionError(
            f"the rendition of '{name}' holds no audio",
            "export the audio again from your editor",
        )
    return float(audio.info.length)
