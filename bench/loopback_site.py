"""Keep-alive HTTP servers on loopback addresses for benchmarks, run as a separate process so their
CPU time is not counted against the client being measured. Prints the port, then serves.

    python bench/loopback_site.py                          # every path is one small page (fetch.py)
    python bench/loopback_site.py --articles 10000 [--hosts 10]

With `--articles`, a WordPress-like news site (pipeline.py): a Yoast-style sitemap index of
post sitemaps (1,000 URLs each, with lastmod), generated article pages with the usual furniture
(menus, related posts, most-read, comments, footer, inline scripts), and robots.txt. About one
page in twenty reports on England's Institutes of Technology with real facts; the rest are
ordinary further-education news. Pages are spread over `--hosts` loopback addresses (127.0.0.1,
127.0.0.2, ...; one port), since a source's rate limit applies per host. Every response carries an
ETag and Last-Modified and answers a matching conditional request with 304; pages are gzipped
when asked. Pages are made on first request (deterministic per page number) and kept.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from typing import Any

PAGE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Institutes of Technology</title></head><body>"
    b"<article><h1>Twelve Institutes of Technology announced</h1>"
    + b"<p>Colleges, universities and employers will deliver higher technical education.</p>" * 20
    + b"</article></body></html>"
)
ROBOTS = b"User-agent: *\nAllow: /\n"


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1]
            body, kind = (ROBOTS, b"text/plain") if path == b"/robots.txt" else (PAGE, b"text/html; charset=utf-8")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: "
                + kind
                + b"\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


# --- the news site ---------------------------------------------------------------------------

SITE_NAME = "FE Bulletin"
NEWEST = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)  # fixed, so every run serves the same site
SITEMAP_SIZE = 1000  # Yoast's post sitemaps hold 1,000 URLs each
IOT_EVERY = 20

_TOWN_LIST = (
    "Barnsley Bedford Blackburn Bolton Bradford Burnley Carlisle Chesterfield Colchester Crewe Darlington "
    "Doncaster Exeter Gloucester Grimsby Halifax Hastings Hereford Huddersfield Ipswich Kendal Lancaster "
    "Leicester Lincoln Luton Middlesbrough Northampton Norwich Oldham Peterborough Plymouth Preston Reading "
    "Rochdale Scunthorpe Shrewsbury Stockport Sunderland Telford Wakefield Warrington Wigan Worcester Yeovil"
)
TOWNS = _TOWN_LIST.split()
FIRST = "Amira Ben Chloe Daniel Esther Farid Grace Harpreet Imogen Jamal Kate Liam Maya Nadia Owen Priya Rhys Sian Tom"
LAST = "Ahmed Bennett Clarke Davies Evans Fletcher Gupta Hughes Iqbal Jones Kowalski Lewis Morgan Nolan Okafor Patel"
ROLES = (
    "principal",
    "chief executive",
    "director of curriculum",
    "head of apprenticeships",
    "chair of governors",
    "vice principal for quality",
    "policy officer at the Association of Colleges",
    "regional organiser at the University and College Union",
)
SUBJECTS = (
    "engineering",
    "construction",
    "digital",
    "health and social care",
    "hospitality",
    "accounting",
    "motor vehicle",
    "creative media",
    "early years",
    "agriculture",
)
EMPLOYERS = ("Nissan", "Siemens", "Microsoft", "BAE Systems", "Airbus", "Jaguar Land Rover", "Network Rail", "the NHS")

# (topic, title templates, sentence templates). Slots every few words keep generated articles as
# unlike each other as real ones are, so near-duplicate detection sees ordinary, not pathological, input.
TOPICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Apprenticeships",
        (
            "{town} College apprenticeship starts up {pct}% as {subject} demand grows",
            "Levy transfers fund {n} {subject} apprentices in {town}",
        ),
        (
            "{town} College said {subject} apprenticeship starts rose by {pct}% to {n} in {year}.",
            "Employers in {town} used levy transfers worth £{k}k to fund {n} new {subject} apprentices.",
            "{person}, {role} at {town} College, said small firms had waited {n2} months for an assessor.",
            "End-point assessment for {subject} standards was delayed for {n2} weeks at {n3} providers.",
            "The {subject} standard was revised in {month} {year}, cutting off-the-job hours by {pct}%.",
        ),
    ),
    (
        "T Levels",
        (
            "T Level enrolments in {subject} reach {n} at {town} College",
            "{town} students secure {subject} placements as T Level numbers climb",
        ),
        (
            "{n} students began a T Level in {subject} at {town} College this September.",
            "Industry placements of {n2} days were found for {pct}% of {subject} students in {town}.",
            "{person}, {role} at {town} College, said {n3} local employers had offered placements.",
            "Results day in {month} showed {pct}% of {subject} students passing with merit or above.",
            "The transition programme in {town} moved {n3} of its {n} students onto a full T Level.",
        ),
    ),
    (
        "Inspection",
        (
            "Ofsted rates {town} College {grade} after {month} inspection",
            "{town} College {grade} verdict lifts {subject} provision",
        ),
        (
            "Inspectors visited {town} College for {n2} days in {month} {year} and judged it {grade}.",
            "The report praised {subject} teaching but found {pct}% of adult learners left early.",
            "{person}, {role} at {town} College, said a recovery plan had been agreed with governors.",
            "Attendance in English and maths resit classes at {town} stood at {pct}% in {month}.",
            "Ofsted said leaders in {town} now track the progress of all {n} high-needs learners.",
        ),
    ),
    (
        "Funding",
        (
            "{town} College warns of £{m}m deficit after pay award",
            "Capital grant of £{m}m for {subject} workshops in {town}",
        ),
        (
            "{town} College expects a deficit of £{m}m in {year} after a {pct2}% pay award for staff.",
            "The college received £{m}m from the condition improvement fund for its {subject} block.",
            "{person}, {role} at {town} College, said borrowing costs had risen by £{k}k a year.",
            "Adult skills funding for {town} fell by {pct}% once devolution to the combined authority began.",
            "The {subject} workshop will take {n} learners a year when it opens in {month} {year2}.",
        ),
    ),
    (
        "Workforce",
        (
            "Staff at {town} College vote on strike over {pct2}% pay offer",
            "{town} College recruits {n2} {subject} lecturers from industry",
        ),
        (
            "Members at {town} College voted by {pct}% to reject a pay offer of {pct2}% in {month}.",
            "{person}, {role}, said {subject} vacancies at {town} had stayed open for {n2} months.",
            "{town} College hired {n2} {subject} lecturers from industry on a part-time teaching route.",
            "Lecturers in {town} now teach {n3} hours a week, up from {n2} hours in {year}.",
            "The college paid £{k}k for agency staff to cover {subject} classes in the autumn term.",
        ),
    ),
    (
        "Colleges",
        (
            "{town} College and {town2} College agree merger",
            "{town} College opens {subject} centre with {employer}",
        ),
        (
            "Governors at {town} College and {town2} College approved the merger in {month} {year}.",
            "The merged college will teach {n} students across {n3} campuses from {town} to {town2}.",
            "{person}, {role} at {town} College, said {subject} courses would be kept on both sites.",
            "{employer} gave equipment worth £{k}k to the new {subject} centre in {town}.",
            "The structure and prospects appraisal for {town} and {town2} took {n2} months.",
        ),
    ),
)

GENERAL = (
    "Figures published in {month} show {n} learners in {town} on {subject} courses, a rise of {pct}%.",
    "{person}, {role} at {town} College, told {site} that the decision was made in {month}.",
    "A spokesperson for the Department for Education said it would respond in {month} {year2}.",
    "Of the {n} responses to the {town} survey, {pct}% said travel costs put them off.",
    "Local leaders in {town} and {town2} will publish a skills plan covering {subject} by {month}.",
    "Last year {town} College spent £{k}k on bursaries for {n2} students from low-income homes.",
    "In {town2}, {pct}% of {subject} leavers were in work or further study {n2} months later.",
)

# The events of iot-facts.md: (when, headline, count, money, people, named institutes).
IOT_EVENTS: tuple[tuple[datetime, str, int | None, str, str, tuple[str, ...]], ...] = (
    (datetime(2017, 12, 15, 10, tzinfo=UTC), "competition for institutes of technology launched", None, "£170m",
     "Justine Greening", ()),
    (datetime(2018, 5, 27, 9, tzinfo=UTC), "16 bids shortlisted for institutes of technology", 16, "£170m", "",
     ("Barking and Dagenham College", "Dudley College of Technology", "Milton Keynes College", "Weston College",
      "New College Durham", "York College")),
    (datetime(2019, 4, 10, 0, 1, tzinfo=UTC), "first twelve institutes of technology announced", 12, "£170m",
     "Theresa May and Damian Hinds",
     ("Barking and Dagenham College", "Dudley College of Technology", "Harrow College and Uxbridge College",
      "Milton Keynes College", "New College Durham", "Queen Mary University of London", "Solihull College",
      "Swindon College", "University of Exeter", "University of Lincoln", "Weston College", "York College")),
    (datetime(2020, 10, 8, 11, tzinfo=UTC), "second wave of institutes of technology opens", 8, "up to £120m",
     "Gavin Williamson", ()),
    (datetime(2021, 12, 17, 12, tzinfo=UTC), "nine more institutes of technology take network to 21", 9,
     "up to £120m", "Nadhim Zahawi",
     ("Blackpool and The Fylde College", "Cheshire College South and West", "Chichester College Group",
      "DN Colleges Group", "Newcastle and Stafford Colleges Group", "Solent University", "South Essex College",
      "University of Derby", "University of Salford")),
    (datetime(2022, 1, 5, 14, tzinfo=UTC), "minister confirms 21 institutes of technology and £290m", 21, "£290m",
     "Michelle Donelan", ()),
    (datetime(2022, 11, 3, 10, tzinfo=UTC), "Swindon and Wiltshire institute of technology building opens", 1,
     "£21m", "", ("Swindon College",)),
)  # fmt: skip
IOT_SENTENCES = (
    "The Department for Education said the {count_text} institutes of technology would share {money}.",
    "Institutes of technology bring colleges, universities and employers such as {employer} together.",
    "{institute} will lead the institute of technology for its area, with {subject} at its centre.",
    "Each institute of technology offers higher technical education at level 4 and 5 in {subject}.",
    "{person}, {role} at {institute}, said {n} learners a year would study {subject} there.",
    "Ministers first proposed institutes of technology in the 2015 productivity plan.",
    "Bids had to show employer backing; {employer} supports the {subject} courses at {institute}.",
    "Fifteen institutes of technology were open by 2022/23, teaching 14,231 students, a Lords answer said.",
)


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Themes inline a block of CSS in every page (block library, theme options): about 20 KB here.
_INLINE_CSS = "\n".join(
    f".wp-block-{block}{suffix}{{margin:{n % 4}em 0;padding:{n % 3}px {n % 5}px;color:#{(n * 2654435) % 0xFFFFFF:06x}}}"
    for n, (block, suffix) in enumerate(
        (b, s)
        for b in ("button", "cover", "gallery", "image", "quote", "pullquote", "table", "columns", "group", "embed")
        for s in ("", "__inner", "__link", ".is-style-outline", ".alignwide", ".alignfull", ":hover", " figcaption")
        for _ in range(4)
    )
)


@dataclass(frozen=True)
class Article:
    number: int
    url: str
    title: str
    published: datetime
    modified: datetime
    iot: bool


def site_articles(count: int, hosts: int, port: int) -> list[Article]:
    """The site's articles, newest first: cheap (no bodies), so the sitemaps list them all."""
    articles = []
    for number in range(count):
        rng = random.Random(number)
        iot = number % IOT_EVERY == IOT_EVERY // 2
        slots = _slots(rng)
        if iot:
            when, headline, *_ = IOT_EVENTS[number // IOT_EVERY % len(IOT_EVENTS)]
            published = when + timedelta(hours=rng.randint(0, 96))
            title = headline[0].upper() + headline[1:] + rng.choice(("", ": what it means", " - reaction"))
        else:
            published = NEWEST - timedelta(minutes=157 * number + rng.randint(0, 90))
            _, titles, _ = TOPICS[_topic(number)]
            title = rng.choice(titles).format(**slots)
        modified = published + timedelta(minutes=rng.randint(5, 600))
        slug = "-".join("".join(c for c in title.lower() if c.isalnum() or c == " ").split()[:9])
        host = f"127.0.0.{1 + number % hosts}"
        url = f"http://{host}:{port}/{published:%Y/%m/%d}/{slug}-{number}/"
        articles.append(Article(number, url, title, published, modified, iot))
    return articles


def _slots(rng: random.Random) -> dict[str, Any]:
    towns = rng.sample(TOWNS, 2)
    return {
        "town": towns[0],
        "town2": towns[1],
        "person": f"{rng.choice(FIRST.split())} {rng.choice(LAST.split())}",
        "role": rng.choice(ROLES),
        "subject": rng.choice(SUBJECTS),
        "employer": rng.choice(EMPLOYERS),
        "n": rng.randint(40, 2400),
        "n2": rng.randint(2, 30),
        "n3": rng.randint(3, 90),
        "k": rng.randint(20, 900),
        "m": round(rng.uniform(0.4, 12.0), 1),
        "pct": rng.randint(3, 88),
        "pct2": round(rng.uniform(1.0, 6.5), 1),
        "month": rng.choice(("January", "February", "March", "April", "May", "June", "July", "September")),
        "year": rng.randint(2019, 2025),
        "year2": rng.randint(2026, 2028),
        "grade": rng.choice(("good", "outstanding", "requires improvement", "inadequate")),
        "site": SITE_NAME,
    }


def article_page(article: Article, neighbours: list[Article]) -> bytes:
    rng = random.Random(article.number * 7919 + 1)
    paragraphs = _iot_body(article, rng) if article.iot else _news_body(article, rng)
    standfirst = paragraphs[0].split(". ")[0].rstrip(".") + "."
    author = f"{rng.choice(FIRST.split())} {rng.choice(LAST.split())}"
    title, url = escape(article.title), escape(article.url)
    root = article.url.split("/", 3)
    home = f"{root[0]}//{root[2]}/"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": article.modified.isoformat(),
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "mainEntityOfPage": article.url,
    }
    body = "\n".join(f"<h2>{escape(p[3:])}</h2>" if p.startswith("## ") else f"<p>{escape(p)}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="{escape(n.url)}">{escape(n.title)}</a></li>' for n in neighbours[:4])
    most_read = "".join(
        f'<li><a href="{escape(n.url)}"><span class="rank">{i}</span>{escape(n.title)}</a></li>'
        for i, n in enumerate(neighbours[4:], 1)
    )
    menu = "".join(
        f'<li class="menu-item"><a href="{home}category/{t.lower().replace(" ", "-")}/">{t}</a></li>'
        for t, _, _ in TOPICS
    )
    comments = "".join(
        f'<li class="comment"><div class="comment-author">{rng.choice(FIRST.split())}</div>'
        f"<p>{escape(_fill(rng.choice(GENERAL), _slots(rng)))}</p></li>"
        for _ in range(rng.randint(0, 3))
    )
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - {SITE_NAME}</title>
<meta name="description" content="{escape(standfirst)}">
<link rel="canonical" href="{url}">
<meta property="og:locale" content="en_GB">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="article:published_time" content="{article.published.isoformat()}">
<meta property="article:modified_time" content="{article.modified.isoformat()}">
<meta name="author" content="{author}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{home}feed/">
<link rel="stylesheet" id="fe-bulletin-style-css" href="{home}wp-content/themes/bulletin/style.css?ver=2.4.1">
<style id="bulletin-inline-css">{_INLINE_CSS}</style>
<script type="application/ld+json">{json.dumps(ld)}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());
gtag('config','G-BULLETIN1',{{'anonymize_ip':true,'page_path':'{escape(article.url.split("/", 3)[3])}'}});
var bulletinSettings={{"ajaxurl":"{home}wp-admin\\/admin-ajax.php","nonce":"{article.number:08x}",
"paywall":false}};</script>
</head>
<body class="post-template-default single single-post postid-{article.number} single-format-standard">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header">
<div class="header-top"><a href="{home}subscribe/">Subscribe</a> <a href="{home}my-account/">Log in</a></div>
<div class="site-branding"><a href="{home}" rel="home">{SITE_NAME}</a></div>
<nav id="site-navigation" class="main-navigation" aria-label="Primary"><ul class="menu">{menu}</ul></nav>
</header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{article.number}" class="post type-post status-publish format-standard hentry">
<header class="entry-header">
<h1 class="entry-title">{title}</h1>
<p class="entry-standfirst">{escape(standfirst)}</p>
<div class="entry-meta"><span class="byline">By <span class="author vcard">{author}</span></span>
<time class="entry-date published" datetime="{article.published.isoformat()}">{article.published:%d %b %Y, %H:%M}</time>
<time class="updated" datetime="{article.modified.isoformat()}">{article.modified:%d %b %Y, %H:%M}</time></div>
</header>
<div class="entry-content">
{body}
</div>
<footer class="entry-footer"><span class="tags-links">Tagged <a href="{home}tag/colleges/" rel="tag">Colleges</a></span>
<div class="share"><a href="https://twitter.com/intent/tweet?url={url}">Share on X</a>
<a href="https://www.linkedin.com/shareArticle?url={url}">Share on LinkedIn</a></div></footer>
</article>
<section class="related-posts"><h3>Related</h3><ul>{related}</ul></section>
<div id="comments" class="comments-area"><h3 class="comments-title">Comments</h3>
<ol class="comment-list">{comments}</ol>
<div id="respond"><form action="{home}wp-comments-post.php" method="post"><textarea name="comment"></textarea>
<input type="submit" value="Post comment"></form></div></div>
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget most-read"><h3>Most read</h3><ol>{most_read}</ol></section>
<section class="widget newsletter"><h3>Get the {SITE_NAME} daily</h3>
<p>The further education news you need, every weekday morning.</p>
<form><input type="email" placeholder="Email address"><button>Sign up</button></form></section></aside>
</div>
<footer id="colophon" class="site-footer"><p>&copy; {NEWEST.year} {SITE_NAME}. All rights reserved.</p>
<ul><li><a href="{home}about/">About</a></li><li><a href="{home}privacy/">Privacy</a></li>
<li><a href="{home}advertise/">Advertise</a></li><li><a href="{home}contact/">Contact</a></li></ul></footer>
</div>
<script src="{home}wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<script src="{home}wp-content/themes/bulletin/js/navigation.js?ver=2.4.1" id="bulletin-navigation-js"></script>
</body>
</html>
"""
    return page.encode()


def _fill(template: str, slots: dict[str, Any]) -> str:
    return template.format(**slots)


def _topic(number: int) -> int:
    return number * 7 % len(TOPICS)


def _news_body(article: Article, rng: random.Random) -> list[str]:
    _, _, sentences = TOPICS[_topic(article.number)]
    paragraphs = []
    for index in range(rng.randint(10, 16)):
        if index == 6:
            paragraphs.append("## " + rng.choice(("What happens next", "The background", "Reaction", "The figures")))
        pool = sentences if rng.random() < 0.6 else GENERAL
        paragraphs.append(" ".join(_fill(t, _slots(rng)) for t in rng.sample(pool, rng.randint(2, 3))))
    return paragraphs


def _iot_body(article: Article, rng: random.Random) -> list[str]:
    when, headline, count, money, people, named = IOT_EVENTS[article.number // IOT_EVERY % len(IOT_EVENTS)]
    lead = f"The {headline} on {when.day} {when:%B %Y}, the Department for Education said."
    if people:
        lead += f" The announcement was made by {people}."
    paragraphs = [lead]
    if named:
        paragraphs.append("The institutes named include " + ", ".join(named[:-1]) + f" and {named[-1]}.")
    for _ in range(rng.randint(8, 12)):
        slots = _slots(rng) | {
            "count_text": str(count) if count else "new",
            "money": money,
            "institute": rng.choice(named) if named else f"{rng.choice(TOWNS)} College",
        }
        pool = IOT_SENTENCES if rng.random() < 0.6 else GENERAL
        paragraphs.append(" ".join(_fill(t, slots) for t in rng.sample(pool, rng.randint(2, 3))))
    return paragraphs


class NewsSite:
    """The site's responses by path: (body, content type, last modified); pages made when first asked."""

    def __init__(self, count: int, hosts: int, port: int) -> None:
        self.articles = site_articles(count, hosts, port)
        self.by_path = {"/" + a.url.split("/", 3)[3]: a for a in self.articles}
        self.fixed: dict[str, tuple[bytes, str, datetime]] = {}
        self.pages: dict[str, tuple[bytes, bytes | None, str, datetime]] = {}
        sitemap = f"http://127.0.0.1:{port}/sitemap_index.xml"
        robots = f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {sitemap}\n"
        self.fixed["/robots.txt"] = (robots.encode(), "text/plain; charset=utf-8", NEWEST)
        chunks = [self.articles[i : i + SITEMAP_SIZE] for i in range(0, count, SITEMAP_SIZE)]
        index = []
        for number, chunk in enumerate(chunks, 1):
            path = f"/post-sitemap{number if number > 1 else ''}.xml"
            newest = max(a.modified for a in chunk)
            urls = "".join(
                f"<url><loc>{escape(a.url)}</loc><lastmod>{a.modified.isoformat()}</lastmod></url>" for a in chunk
            )
            xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_SITEMAP_NS}">{urls}</urlset>\n'
            self.fixed[path] = (xml.encode(), "application/xml; charset=UTF-8", newest)
            index.append(
                f"<sitemap><loc>http://127.0.0.1:{port}{path}</loc><lastmod>{newest.isoformat()}</lastmod></sitemap>"
            )
        entries = "".join(index)
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_SITEMAP_NS}">{entries}</sitemapindex>\n'
        self.fixed["/sitemap_index.xml"] = (xml.encode(), "application/xml; charset=UTF-8", NEWEST)

    def page(self, path: str) -> tuple[bytes, bytes | None, str, datetime] | None:
        if path in self.pages:
            return self.pages[path]
        if path in self.fixed:
            body, kind, modified = self.fixed[path]
            found = self.pages[path] = (body, gzip.compress(body, 5) if len(body) > 1024 else None, kind, modified)
            return found
        article = self.by_path.get(path)
        if article is None:
            return None
        at = article.number
        neighbours = [self.articles[(at + step) % len(self.articles)] for step in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)]
        body = article_page(article, neighbours)
        found = self.pages[path] = (body, gzip.compress(body, 5), "text/html; charset=UTF-8", article.modified)
        return found


def _response(status: str, headers: dict[str, str], body: bytes) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"HTTP/1.1 {status}\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode() + body


def answer(site: NewsSite, head: bytes) -> bytes:
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1].split("?")[0]
    request = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    found = site.page(path)
    if found is None:
        return _response(
            "404 Not Found", {"Content-Type": "text/html"}, b"<html><body><h1>Not found</h1></body></html>"
        )
    plain, packed, kind, modified = found
    etag = '"' + hashlib.sha1(plain, usedforsecurity=False).hexdigest()[:20] + '"'
    headers = {
        "Content-Type": kind,
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "max-age=300, must-revalidate",
        "Vary": "Accept-Encoding",
    }
    if _not_modified(request, etag, modified):
        return _response("304 Not Modified", headers, b"")
    if packed is not None and "gzip" in request.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return _response("200 OK", headers, packed)
    return _response("200 OK", headers, plain)


def _not_modified(request: dict[str, str], etag: str, modified: datetime) -> bool:
    if "if-none-match" in request:
        return etag in {tag.strip() for tag in request["if-none-match"].split(",")}
    since = request.get("if-modified-since")
    if since:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


async def serve_site(count: int, hosts: int) -> None:
    site: NewsSite | None = None

    async def handle_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                assert site is not None
                writer.write(answer(site, head))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    first = await asyncio.start_server(handle_site, "127.0.0.1", 0, backlog=1024)
    port = first.sockets[0].getsockname()[1]
    others = [await asyncio.start_server(handle_site, f"127.0.0.{n}", port, backlog=1024) for n in range(2, hosts + 1)]
    site = NewsSite(count, hosts, port)
    print(port, flush=True)
    await asyncio.gather(*(server.serve_forever() for server in [first, *others]))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=0, help="serve a news site of this many articles")
    parser.add_argument("--hosts", type=int, default=1, help="loopback addresses the articles are spread over")
    args = parser.parse_args()
    if args.articles:
        await serve_site(args.articles, args.hosts)
        return
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
