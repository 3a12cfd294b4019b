"""Pages for the fake CC-NEWS host: on-topic UK reports of Institutes of Technology, hard negatives
that share their words, and filler news from many hosts. Every sentence written for these tests."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["HARD_NEGATIVES", "OFF_HOST", "ON_TOPIC", "Story", "filler_page", "page_html"]


@dataclass(frozen=True)
class Story:
    host: str
    slug: str
    title: str
    paragraphs: tuple[str, ...]


ON_TOPIC: tuple[Story, ...] = (
    Story(
        "www.fenews-example.co.uk",
        "first-twelve-institutes-of-technology",
        "First twelve Institutes of Technology named in £170m programme",
        (
            "The Department for Education has named the first twelve Institutes of Technology, "
            "backed by £170m of capital funding to teach higher technical skills at Level 4 and 5.",
            "Nine colleges and three universities lead the new Institutes of Technology, working "
            "with employers including Nissan, Siemens and Microsoft on courses in digital, "
            "engineering and advanced manufacturing.",
            "The leads include Dudley College of Technology, Milton Keynes College, New College "
            "Durham, Swindon College, York College, the University of Exeter and the University "
            "of Lincoln.",
            "Education Secretary Damian Hinds said the institutes would give learners the higher "
            "technical education that employers have asked for, alongside T Levels and "
            "apprenticeships.",
        ),
    ),
    Story(
        "www.yorkshire-courier-example.co.uk",
        "york-college-wins-institute-of-technology-bid",
        "York College to lead Yorkshire and Humber Institute of Technology",
        (
            "York College will lead one of the first Institutes of Technology after its bid was "
            "chosen from a shortlist of sixteen, the Department for Education announced today.",
            "The Yorkshire and Humber institute brings together colleges and employers across the "
            "region, with about £10m of the national £170m fund for new buildings and equipment.",
            "Principal staff said the Institutes of Technology programme would let the college "
            "offer higher technical courses that local employers struggle to find.",
            "Courses are expected to start in September, with learners studying engineering, "
            "digital and construction at Level 4 and above.",
        ),
    ),
    Story(
        "www.swindon-herald-example.co.uk",
        "swindon-college-institute-of-technology",
        "Swindon College secures £21m for Institute of Technology",
        (
            "Swindon College has been awarded about £21m to build the Swindon and Wiltshire "
            "Institute of Technology, one of twelve Institutes of Technology announced by "
            "ministers.",
            "The college will work with the University of Bath and employers in advanced "
            "manufacturing and digital industries to design higher technical qualifications.",
            "The first wave of Institutes of Technology shares £170m of government capital "
            "funding, part of the plan to close the skills gap in technical education.",
            "The new building is due to open to students in 2022.",
        ),
    ),
    Story(
        "www.midlands-business-example.co.uk",
        "dudley-institute-of-technology-approved",
        "Dudley College of Technology leads new Institute of Technology",
        (
            "Dudley College of Technology is among the colleges chosen to lead the first "
            "Institutes of Technology, with £16.8m towards a £32.5m project.",
            "The Dudley institute will train advanced manufacturing and engineering technicians "
            "with employers from across the Black Country and the West Midlands.",
            "The Department for Education said the twelve Institutes of Technology would offer "
            "higher technical education at Level 4 and 5 from this autumn.",
            "Local employers welcomed the news, saying they need more skilled technicians.",
        ),
    ),
    Story(
        "www.mk-citizen-example.co.uk",
        "milton-keynes-institute-of-technology",
        "Milton Keynes College lands £28m Institute of Technology in Bletchley",
        (
            "Milton Keynes College will lead an Institute of Technology in Bletchley with about "
            "£28m of funding, the largest sum in the first wave of Institutes of Technology.",
            "Partners include Cranfield University, The Open University and employers such as "
            "Microsoft, who will help shape digital and engineering courses.",
            "Ministers said the Institutes of Technology would be prestigious centres for higher "
            "technical skills, working closely with further education colleges and universities.",
            "The Bletchley building is expected to welcome its first learners within two years.",
        ),
    ),
    Story(
        "www.devon-live-example.co.uk",
        "exeter-university-institute-of-technology",
        "University of Exeter to lead Dorset and Somerset Institute of Technology",
        (
            "The University of Exeter is one of three universities among the first twelve "
            "Institutes of Technology, working with colleges across the South West.",
            "The institute will focus on digital skills, engineering and advanced manufacturing, "
            "with courses designed alongside employers.",
            "Institutes of Technology are collaborations between further education colleges, "
            "universities and employers, funded from a £170m capital pot.",
            "The Department for Education said more institutes could follow in a second wave.",
        ),
    ),
    Story(
        "www.north-east-echo-example.co.uk",
        "new-college-durham-institute-of-technology",
        "New College Durham named as North East Institute of Technology lead",
        (
            "New College Durham will lead the North East's Institute of Technology, one of twelve "
            "Institutes of Technology approved by the Department for Education.",
            "The college will work with regional employers and universities to offer higher "
            "technical courses in digital and advanced manufacturing at Level 4 and 5.",
            "The Institutes of Technology were first proposed in 2015 and the competition opened "
            "in December 2017, when 35 bids were received and 16 shortlisted.",
            "Learners will be able to study alongside apprenticeships and T Levels.",
        ),
    ),
    Story(
        "www.lincs-echo-example.co.uk",
        "lincoln-institute-of-technology",
        "University of Lincoln to lead Institute of Technology for Lincolnshire",
        (
            "The University of Lincoln will lead the Lincolnshire Institute of Technology, one of "
            "the first Institutes of Technology named by the government.",
            "Partners include colleges across the county and employers such as Siemens, who will "
            "help design higher technical courses in engineering and food manufacturing.",
            "The national programme of Institutes of Technology is backed by £170m and aims to "
            "give more learners higher technical skills.",
            "The first students are expected from September, with new facilities following.",
        ),
    ),
)

# On-topic, but from a host outside the usual `.uk` filter: only a scan without it finds this.
OFF_HOST: tuple[Story, ...] = (
    Story(
        "www.globaleducation-example.com",
        "england-names-institutes-of-technology",
        "England names its first Institutes of Technology",
        (
            "England has named twelve Institutes of Technology to teach higher technical skills, "
            "backed by £170m from the Department for Education.",
            "The Institutes of Technology pair further education colleges with universities and "
            "employers such as Nissan and Siemens.",
            "Leads include Weston College, Solihull College & University Centre and Queen Mary University of London.",
            "Learners will study at Level 4 and 5 in digital and engineering subjects.",
        ),
    ),
)

# UK pages that pass the byte prefilter but are not about the topic.
HARD_NEGATIVES: tuple[Story, ...] = (
    Story(
        "www.factory-tech-example.co.uk",
        "iot-sensors-predictive-maintenance",
        "IoT sensors cut downtime on the factory floor",
        (
            "Manufacturers are fitting IoT sensors to presses and conveyors to predict failures "
            "before they stop a line.",
            "The Internet of Things platform streams vibration and temperature readings to the "
            "cloud, where models flag machines that need attention.",
            "Engineers say the IoT rollout paid for itself within a year.",
            "Suppliers expect connected devices to double across UK plants by 2025.",
        ),
    ),
    Story(
        "www.irish-affairs-example.co.uk",
        "irish-institutes-of-technology-merge",
        "Irish institutes of technology merge into technological university",
        (
            "Three institutes of technology in Ireland will merge to form a new technological "
            "university, the Irish government has confirmed.",
            "The institutes of technology in Dublin have worked towards the merger for several "
            "years, and staff unions have agreed terms.",
            "Ireland's Higher Education Authority said the technological university would have "
            "more than 28,000 students.",
            "Similar mergers are planned in the south east and the west of Ireland.",
        ),
    ),
)

_WORDS = [
    "council",
    "planning",
    "harbour",
    "weather",
    "league",
    "transfer",
    "match",
    "season",
    "fixtures",
    "budget",
    "tax",
    "rates",
    "market",
    "shares",
    "profits",
    "inflation",
    "housing",
    "rent",
    "festival",
    "music",
    "theatre",
    "film",
    "review",
    "recipe",
    "restaurant",
    "traffic",
    "roadworks",
    "railway",
    "timetable",
    "police",
    "court",
    "hospital",
    "patients",
    "election",
    "minister",
    "parliament",
    "vote",
    "campaign",
    "energy",
    "prices",
    "climate",
    "flooding",
    "storm",
    "coast",
    "village",
    "museum",
    "gallery",
    "heritage",
    "charity",
    "volunteers",
    "school",
    "holiday",
    "travel",
    "airline",
    "airport",
    "tourism",
    "retail",
    "shoppers",
    "high",
    "street",
    "farm",
    "harvest",
    "livestock",
    "club",
    "coach",
    "captain",
    "goal",
    "wicket",
    "race",
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(12, 24))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def filler_page(rng: random.Random, host: str, slug: str) -> Story:
    """An ordinary news page that has nothing to do with the topic."""
    paragraphs = tuple(" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(4, 9)))
    title = " ".join(rng.choices(_WORDS, k=6)).capitalize()
    return Story(host, slug, title, paragraphs)


def page_html(story: Story, published: str, rng: random.Random) -> str:
    """A news page as sites serve them: head metadata, navigation, scripts, the article, a footer."""
    nav = "".join(f'<li><a href="/{w}/">{w.title()}</a></li>' for w in rng.sample(_WORDS, 12))
    body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    related = "".join(
        f'<li><a href="/news/{rng.randrange(10**6)}">{" ".join(rng.choices(_WORDS, k=5))}</a></li>' for _ in range(8)
    )
    script = "var cfg = {" + ",".join(f'"k{i}": {rng.randrange(10**9)}' for i in range(rng.randint(40, 160))) + "};"
    return (
        "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{story.title}</title>"
        f'<meta property="og:title" content="{story.title}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<link rel="canonical" href="https://{story.host}/news/{story.slug}">'
        f"<script>{script}</script></head><body>"
        f'<header><nav><ul class="menu">{nav}</ul></nav></header>'
        f'<main><article><h1>{story.title}</h1><time datetime="{published}">{published[:10]}</time>'
        f'<div class="article-body">{body}</div></article>'
        f'<aside class="related"><h2>Most read</h2><ul>{related}</ul></aside></main>'
        f"<footer><p>&copy; {story.host} All rights reserved.</p></footer></body></html>"
    )
