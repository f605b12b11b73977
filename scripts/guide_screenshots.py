"""Take the editors' guide's screenshots again: content/guide-screenshots/*.png.

content/README.md ("Adding a story in the browser") shows the editing pages at
/admin/ in five pictures. This takes them from the real editing UI, the way an
editor sees it: a temporary copy of the project's content (sample stories
included) is built with the editing UI on and served, with decap-server
(``./dev cms``'s local backend) writing into that copy, and Debian's Chromium,
driven by Playwright, fills in a new story as the guide says: the people,
chapters tied to the guide's questions, real audio (spoken by espeak-ng,
encoded by ffmpeg) and its transcript uploaded, then a chapter start that is
not a time. Nothing is ever written into the project's own content/ but the
pictures.

    .venv/bin/python scripts/guide_screenshots.py   # about 40 seconds
    .venv/bin/python scripts/guide_screenshots.py --out /tmp/shots

Needs what the browser tests need (``./dev test`` installs it): Chromium,
espeak-ng, ffmpeg, and Decap CMS and decap-server from ``npm ci``. Look at
every picture before committing it: the guide's words around each must still
say what it shows.
"""

from __future__ import annotations

import argparse
import io
import pathlib
import subprocess
import sys
import tempfile
import wave

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from PIL import Image  # noqa: E402

from portal.schema import RELATIONSHIPS  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support import copy_content, editing_ui_running  # noqa: E402
from tests.test_editing_ui_browser import (  # noqa: E402
    choose,
    control,
    field,
    open_new_story,
    retype,
    save,
    story_fields_config,
    upload,
)

FOLDER = ROOT / "content" / "guide-screenshots"
# The pictures content/README.md shows, in its order, and what each shows
# (tests/test_guide_screenshots.py holds the two lists equal).
SHOTS = {
    "1-stories.png": "the list of stories",
    "2-new-story.png": "a new story's form, and its preview with the banner",
    "3-chapters.png": "chapters tied to the guide's questions",
    "4-files.png": "the audio and the transcript, uploaded",
    "5-message.png": "a chapter start that is not a time, and the check's message",
}
# A laptop's window of the editing pages (CSS pixels), drawn at three
# quarters of its size: the pictures are 900 x 570, small enough for the
# guide, and show the page as wide as an editor has it.
VIEWPORT = {"width": 1200, "height": 760}
SCALE = 0.75
# Room left above a part of the form scrolled to: Decap's bar stays on top.
BAR = 62
PAUSE = 0.4  # seconds between two turns

PEOPLE = (
    ("Dolores Quintana", "retired bus driver, Pueblo, Colorado", "en-us+f3"),
    ("Tyler Brandt", "welder, Cheyenne, Wyoming", "en-us+m3"),
)
# (who speaks, what is said, the chapter it opens and its guide question)
TURNS = (
    (0, "I almost said no when they called me.", ("Why we said yes", "why-here")),
    (1, "Me too. Then I thought about my grandmother.", None),
    (0, "I grew up on the east side, by the mill.", ("Where we grew up", "parents")),
    (1, "We drove past it every Sunday, on the way to church.", None),
)  # fmt: skip
QUESTIONS = {
    "why-here": "Why did you agree to have this conversation?",
    "parents": "Tell me about your parents and the place where you grew up.",
}


def speak(folder: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, list[str]]:
    """The conversation's audio (MP3) and transcript (WebVTT), spoken by
    espeak-ng and encoded by ffmpeg, and its chapters' starts ("M:SS"): the
    turns one after the other with a pause between them, a turn that opens
    a chapter on a whole second, each cue timed from the samples."""
    joined = folder / "conversation.wav"
    cues, starts = [], []
    with wave.open(str(joined), "wb") as out:
        for number, (who, text, chapter) in enumerate(TURNS):
            name, _, voice = PEOPLE[who]
            turn = folder / f"turn-{number}.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", "150", "-w", str(turn), text],
                check=True,
            )
            with wave.open(str(turn)) as sound:
                if number == 0:
                    out.setparams(sound.getparams())
                rate = out.getframerate()
                pause = round(PAUSE * rate)
                if chapter:
                    pause = -out.getnframes() % rate
                out.writeframes(bytes(pause * out.getsampwidth()))
                at = out.getnframes() / rate
                out.writeframes(sound.readframes(sound.getnframes()))
            end = out.getnframes() / rate
            cues.append(f"{_vtt_time(at)} --> {_vtt_time(end)}\n<v {name}>{text}")
            if chapter:
                starts.append(f"{int(at) // 60}:{int(at) % 60:02d}")
    audio = folder / "conversation.mp3"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(joined), "-ac", "1",
         "-c:a", "libmp3lame", "-b:a", "48k", "-map_metadata", "-1",
         "-fflags", "+bitexact", str(audio)],
        check=True,
    )  # fmt: skip
    transcript = folder / "transcript.vtt"
    transcript.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")
    return audio, transcript, starts


def _vtt_time(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{seconds % 60:06.3f}"


def fill_in_the_story(page, audio, transcript, starts) -> None:
    """A new story as the guide's steps make it, up to the uploads."""
    field(page, "title").fill("The porch light stayed on")
    field(page, "summary").fill(
        "A retired bus driver and a young welder meet as strangers and find"
        " they were both taught to listen by their grandmothers."
    )
    field(page, "date").fill("2021-04-17")
    people = control(page, "participants")
    for name, description, _ in PEOPLE:
        people.get_by_role("button", name="Add participant").click()
        people.locator("[id^='name-field-']").last.fill(name)
        people.locator("[id^='description-field-']").last.fill(description)
    choose(page, "relationship", RELATIONSHIPS["strangers"])
    control(page, "location").locator("[id^='name-field-']").fill("Pueblo, Colorado")
    field(page, "topics").fill("family, work")
    chapters = control(page, "chapters")
    opening = [chapter for _, _, chapter in TURNS if chapter]
    for start, (title, question) in zip(starts, opening, strict=True):
        chapters.get_by_role("button", name="Add chapter").click()
        chapters.locator("[id^='start-field-']").last.fill(start)
        chapters.locator("[id^='title-field-']").last.fill(title)
        chapters.locator("[id^='question-field-']").last.click()
        page.get_by_role("option", name=QUESTIONS[question], exact=True).click()
    upload(page, "audio", audio)
    upload(page, "transcript", transcript)


def scroll_to(locator, room: int | None = BAR, *, bottom: bool = False) -> None:
    """Scroll the form so ``locator`` starts ``room`` pixels below the
    window's top, or with ``bottom`` ends ``room`` pixels above its bottom;
    with ``room`` None, to the form's own top. (Decap's form scrolls in a
    box of its own.)"""
    locator.evaluate(
        """(element, [room, bottom]) => {
            let box = element.parentElement;
            while (box && !(box.scrollHeight > box.clientHeight
                    && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
                box = box.parentElement;
            }
            box = box || document.scrollingElement;
            const rect = element.getBoundingClientRect();
            const by = room === null ? -box.scrollTop
                : bottom ? rect.bottom - (window.innerHeight - room)
                : rect.top - room;
            box.scrollTo({top: box.scrollTop + by, behavior: "instant"});
        }""",
        [room, bottom],
    )


def shoot(page, path: pathlib.Path) -> None:
    """The window as it is, with nothing focused or hovered, as a PNG of
    256 colours (a third of the size; the UI's flat colours keep)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.move(VIEWPORT["width"] - 1, VIEWPORT["height"] - 1)
    page.wait_for_timeout(300)  # Decap's fades
    picture = Image.open(io.BytesIO(page.screenshot(animations="disabled")))
    picture.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    print(f"{path}: {SHOTS[path.name]}")


def take(url: str, out: pathlib.Path, work: pathlib.Path) -> None:
    from playwright.sync_api import sync_playwright

    audio, transcript, starts = speak(work)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=SCALE)
            open_new_story(page, url)  # logs in
            page.goto(f"{url}/admin/#/collections/stories")
            page.get_by_text("Common Ground").first.wait_for()
            shoot(page, out / "1-stories.png")

            page.get_by_text("New Story", exact=True).click()
            field(page, "title").wait_for()
            fill_in_the_story(page, audio, transcript, starts)
            preview = page.frame_locator("iframe").first
            preview.locator("audio[controls]").wait_for()
            preview.get_by_text("Not public.").wait_for()
            scroll_to(control(page, "id"), None)
            shoot(page, out / "2-new-story.png")

            # The first chapter's end and the whole second one: each with
            # its guide question.
            chapters = control(page, "chapters")
            last = chapters.locator("label[for^='question-field-']").last
            scroll_to(last.locator("xpath=../.."), 24, bottom=True)
            shoot(page, out / "3-chapters.png")

            scroll_to(control(page, "audio"), BAR + 15)
            shoot(page, out / "4-files.png")

            retype(chapters.locator("[id^='start-field-']").last, "soon")
            save(page)
            # The check's words for it, as config.yml gives them to the form.
            says = story_fields_config(url)["chapters.start"]["pattern"][1]
            message = page.get_by_text(says, exact=True)
            message.wait_for()
            scroll_to(message, BAR + 100)  # the chapter's own bar above it
            shoot(page, out / "5-message.png")
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=FOLDER,
        help=f"where the pictures go (default: {FOLDER.relative_to(ROOT)})",
    )
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guide-screenshots-") as tmp:
        work = pathlib.Path(tmp)
        project = work / "project"
        copy_content(project / "content", stories=True)
        (work / "files").mkdir()
        with editing_ui_running(project, work / "output") as url:
            take(url, out, work / "files")


if __name__ == "__main__":
    main()
