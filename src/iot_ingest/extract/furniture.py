"""Page furniture: the one list of what is never article text, shared by every adapter and step.

Navigation, share bars, newsletter boxes, related links, comments, ads and the like, by tag and by
class or id name. A name counts as furniture unless another of the element's names says it is the
article body (a grid theme's `sidebar-grid__content article__content` holds the article).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["ARTICLE_BODY_NAMES", "FURNITURE_TAGS", "OTHER_ARTICLES_NAMES", "is_furniture_name", "is_other_place_name"]

FURNITURE_TAGS = ("nav", "aside", "footer", "button", "select", "input", "textarea", "dialog", "menu")

_FURNITURE_WORDS = (
    r"share|sharing|social|related|newsletter|subscribe|subscription|signup|sign-up|login|comments?|disqus|"
    r"respond|promo|advert|advertisement|ads?|ad-slot|cookies?|cookie-banner|consent|gdpr|banner|"
    r"breadcrumbs?|tags?|tag-list|author-bio|about-author|byline|pagination|pager|popular|recommended|"
    r"most-recent|most-read|more-stories|read-more|sidebar|widget|post-meta|entry-meta|article-meta|meta-data|"
    r"modal|cmp|feedback|skip|visually-hidden|sr-only|popup|toolbar|masthead|site-header|site-footer|nav|navbar|menu|"
    r"outbrain|taboola|sponsored|trending|caption|credit|wp-caption-text|jp-relatedposts|sharedaddy"
)
_FURNITURE = re.compile(rf"(?:^|[\s_-])(?:{_FURNITURE_WORDS})(?:$|[\s_-])", re.IGNORECASE)

# A class or id token naming the article's own text container.
ARTICLE_BODY_NAMES = re.compile(
    r"^(?:article|story|post|entry|news|content|main)[_-]*(?:body|content|text|detail)s?$|"
    r"^(?:articlebody|article-?text|body-?text|bodytext|rich-?text|text-?block|article__body)$",
    re.IGNORECASE,
)

# Where a date belongs to other articles or to nobody: lists of other stories, comments, sidebars,
# footers, the site's header. Narrower than furniture: a byline or post-meta block is furniture for
# the body but is where the article's own date is printed.
OTHER_ARTICLES_NAMES = re.compile(
    r"sidebar|related|recent|popular|trending|most-|comment|widget|footer|teaser|card|more-|"
    r"latest|listing|recommend|promo|aside|nav|masthead|site-header|top-bar|topbar",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def is_furniture_name(names: str) -> bool:
    """Whether class and id names (space separated) mark page furniture. Cached: a page repeats its
    class strings many times, and utility-class pages make them long."""
    if len(names) < 2 or not _FURNITURE.search(names):
        return False
    return not any(ARTICLE_BODY_NAMES.match(token) for token in names.split())


@lru_cache(maxsize=8192)
def is_other_place_name(names: str) -> bool:
    """Whether class and id names mark a list of other articles, comments or the site's furniture."""
    return len(names) > 1 and OTHER_ARTICLES_NAMES.search(names) is not None
