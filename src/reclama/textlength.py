"""Length of social-media drafts as each network counts it, and splitting into threads.

- X: twitter-text v3 weighted length (config in data/twitter-text-config-v3.json): text is
  NFC-normalised, each code point weighs 1 or 2 by its range, every URL weighs 23 and every
  emoji sequence weighs 2. URL and emoji detection follow twitter-text's own rules, and the
  result matches every weighted-length case of twitter-text's conformance suite.
- Mastodon: 500 grapheme clusters; a URL with protocol counts 23 and a remote mention
  ``@user@domain`` counts as ``@user`` (server-side StatusLengthValidator rules).
- Bluesky: 300 grapheme clusters.

Threads are numbered with a suffix: ``"... (1/3)"``. A suffix keeps the opening words of the
first post intact (a leading ``@empresa`` keeps its meaning) and reads naturally in Spanish.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

REDES = ("x", "mastodon", "bluesky")

_DATA = Path(__file__).parent / "data"
_MASTODON_LIMIT = 500
_MASTODON_URL_LENGTH = 23
_BLUESKY_LIMIT = 300


@cache
def _x_config() -> dict:
    with open(_DATA / "twitter-text-config-v3.json", encoding="utf-8") as fh:
        return json.load(fh)


# --- URL detection: a compact port of twitter-text's extractUrlsWithIndices -----------------
# Character groups as twitter-text defines them (regexp/*.js in twitter-text 3).

_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259"
    "\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"
_PUNCT = "".join(re.escape(c) for c in "!'#%&()*+,\\-./:;<=>?@[]^_{|}~$")
_SPACES = "\t-\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
_INVALID = "\ufffe\ufeff\uffff"

_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_DOMAIN_LABEL_LENGTH = 63


def _trie(words: list[str]) -> str:
    """Alternation of ``words`` as a prefix tree, longest match tried first.

    Same language and order of attempts as a longest-first alternation, but a TLD costs a
    few steps instead of ~1,600, which keeps long dotted runs ("a.b.c...") from crawling.
    """
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            return f"(?:{'|'.join(branches)})?" if branches else ""
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return emit(tree)


def _tld_words(block: str) -> list[str]:
    return [
        w.encode("ascii")[4:].decode("punycode") if w.startswith("xn--") else w
        for w in block.split()
    ]


def _tld_group(block: str) -> str:
    # The lookahead stops "co" from matching in "company".
    return rf"(?:{_trie(_tld_words(block))}(?=[^0-9a-z@+\-]|\Z))"


@dataclass(frozen=True)
class _UrlRegexes:
    extract: re.Pattern[str]  # twitter-text extractUrl
    ascii_domain: re.Pattern[str]  # validAsciiDomain
    tco: re.Pattern[str]  # validTcoUrl
    dot_tld: re.Pattern[str]  # "." + TLD, as it must end every domain
    domain_run: re.Pattern[str]  # a run of characters a domain can be made of


@cache
def _url_regexes() -> _UrlRegexes:
    """Build the URL regexes once, on first use."""
    gtld, cctld = _tld_group(_GTLDS), _tld_group(_CCTLDS)
    punycode = r"(?:xn--[\-0-9a-z]+)"
    dc = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
    subdomain = rf"(?:(?:{dc}(?:[_\-]|{dc})*)?{dc}\.)"
    domain_name = rf"(?:(?:{dc}(?:-|{dc})*)?{dc}\.)"
    domain = f"(?:{subdomain}*{domain_name}(?:{gtld}|{cctld}|{punycode}))"
    path_char = rf"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~&|@{_LATIN_ACCENTS}]"
    parens = rf"\((?:{path_char}+|(?:{path_char}*\({path_char}+\){path_char}*))\)"
    # twitter-text splices the ending-char alternation in without a group, so a path segment
    # is "chars, then an ending char" or just balanced parens; kept as is to count the same.
    path_end = rf"[+\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|{parens}"
    path = rf"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))"
    query = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
    query_end = r"[a-z0-9\-_&=#/]"
    preceding = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
    extract = re.compile(
        f"({preceding})"  # 1: character before the URL
        f"((https?://)?"  # 2: URL, 3: protocol
        f"({domain})"  # 4: domain
        r"(?::[0-9]+)?"  # port
        rf"(/{path}*)?"  # 5: path
        rf"(\?{query}*{query_end})?)",  # 6: query
        re.IGNORECASE,
    )
    ascii_domain = re.compile(
        rf"(?:(?:[\-a-z0-9{_LATIN_ACCENTS}]+)\.)+(?:{gtld}|{cctld}|{punycode})", re.IGNORECASE
    )
    tco = re.compile(rf"^https?://t\.co/([a-z0-9]+)(?:\?{query}*{query_end})?", re.IGNORECASE)
    dot_tld = re.compile(rf"\.(?:{gtld}|{cctld}|{punycode})", re.IGNORECASE)
    domain_run = re.compile(rf"(?:{dc}|[._\-])+")
    return _UrlRegexes(extract, ascii_domain, tco, dot_tld, domain_run)


def _url_matches(text: str, rx: _UrlRegexes) -> Iterator[re.Match[str]]:
    """Same matches as ``rx.extract.finditer(text)``, without trying hopeless places.

    A domain lies inside one run of domain characters and ends in "." + TLD, and a match
    starts at most 9 characters ("x" + "https://") before its domain. So only runs holding a
    TLD are tried; long dotted runs without one ("a.b.c.d...") would otherwise cost
    quadratic time, as they do in twitter-text itself.
    """
    tld_ends = [m.end() for m in rx.dot_tld.finditer(text)]
    if not tld_ends:
        return
    q = 0
    for run in rx.domain_run.finditer(text):
        k = bisect.bisect_right(tld_ends, run.start())
        if k == len(tld_ends) or tld_ends[k] > run.end():
            continue
        q = max(q, run.start() - 9)
        while q < run.end():
            m = rx.extract.match(text, q)
            if m:
                yield m
                q = m.end()
            else:
                q += 1


def _punycode_ok(domain: str, ascii_domain: re.Pattern[str]) -> bool:
    """twitter-text's idna.toAscii check: every label 1..63 chars once punycode-encoded."""
    if domain.startswith("xn--") and not ascii_domain.search(domain):
        return False
    for label in domain.split("."):
        if not label.isascii():
            try:
                label = "xn--" + label.encode("punycode").decode("ascii")
            except UnicodeError:
                return False
        if not 1 <= len(label) <= _MAX_DOMAIN_LABEL_LENGTH:
            return False
    return True


def url_spans(text: str, *, without_protocol: bool = True) -> list[tuple[int, int]]:
    """Code-point spans that twitter-text counts as one URL each (23 on X)."""
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    rx = _url_regexes()
    ascii_domain = rx.ascii_domain
    spans: list[tuple[int, int]] = []
    for m in _url_matches(text, rx):
        before, url, protocol, domain, path = m.group(1, 2, 3, 4, 5)
        start, end = m.start(2), m.end(2)
        if not _punycode_ok(domain, ascii_domain):
            continue
        if len(protocol or "https://") + len(url) > _MAX_URL_LENGTH:
            continue
        if protocol:
            slug = rx.tco.match(url)
            if slug:
                if len(slug.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                end = start + slug.end()
            spans.append((start, end))
            continue
        # Without protocol only ASCII domains count, and not after "-", "_", "." or "/".
        if not without_protocol or re.search(r"[-_./]$", before):
            continue
        found = [(start + d.start(), start + d.end()) for d in ascii_domain.finditer(domain)]
        if not found:
            continue
        if path:
            # twitter-text glues the rest of the URL to the last ASCII domain and skips that
            # many characters; normally this ends at the URL's end.
            last_start, last_end = found[-1]
            found[-1] = (last_start, last_end + len(url) - len(domain))
        spans.extend(found)
    return spans


# --- Emoji: sequences that twitter-text (twemoji) treats as one emoji -----------------------
# ©, ®, ™ and ♟ are emoji only with U+FE0F, as in twemoji; other pictographs unless
# followed by the text selector U+FE0E.
_EMOJI_ELEMENT = (
    r"(?:[\u00a9\u00ae\u2122\u265f]\uFE0F"
    r"|(?![\u00a9\u00ae\u2122\u265f])\p{Extended_Pictographic}(?:\uFE0F|(?!\uFE0E)))"
    r"\p{Emoji_Modifier}?"
)
_EMOJI = regex.compile(
    r"[#*0-9]\uFE0F?\u20E3"  # keycap
    r"|\p{Regional_Indicator}{2}"  # flag
    r"|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"  # subdivision flag
    rf"|{_EMOJI_ELEMENT}(?:\u200D{_EMOJI_ELEMENT})*"  # pictograph, skin tone, ZWJ sequence
    r"|\p{Emoji_Presentation}"  # lone skin tone or regional indicator
)
_GRAPHEME = regex.compile(r"\X")


# --- Counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class XCount:
    """twitter-text's parseTweet result, reduced to what a draft needs."""

    weighted_length: int
    valid: bool


def parse_x(text: str, *, emoji_parsing: bool | None = None) -> XCount:
    """Weighted length and validity of a post on X (twitter-text parseTweet).

    ``emoji_parsing`` defaults to the v3 config (on); off reproduces the v2 rules, which
    twitter-text's own conformance suite still checks.
    """
    cfg = _x_config()
    scale = cfg["scale"]
    if emoji_parsing is None:
        emoji_parsing = cfg["emojiParsingEnabled"]
    norm = unicodedata.normalize("NFC", text)
    urls = dict(url_spans(norm))
    emojis = {m.start(): m.end() for m in _EMOJI.finditer(norm)} if emoji_parsing else {}
    ranges = [(r["start"], r["end"], r["weight"]) for r in cfg["ranges"]]
    weight = 0
    i = 0
    while i < len(norm):
        if i in urls:
            weight += cfg["transformedURLLength"] * scale
            i = urls[i]
        elif i in emojis:
            weight += cfg["defaultWeight"]
            i = emojis[i]
        else:
            cp = ord(norm[i])
            weight += next((w for lo, hi, w in ranges if lo <= cp <= hi), cfg["defaultWeight"])
            i += 1
    length = weight // scale
    valid = 0 < length <= cfg["maxWeightedTweetLength"] and not any(c in _INVALID for c in norm)
    return XCount(length, valid)


_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[.\-]+[a-z0-9_]+)*)@[\w.\-]+\w", regex.IGNORECASE
)


def _graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def _mastodon_count(text: str) -> int:
    """Graphemes, with each URL as 23 and ``@user@domain`` as ``@user``."""
    entities = [
        (s, e, "x" * _MASTODON_URL_LENGTH) for s, e in url_spans(text, without_protocol=False)
    ]
    for m in _MASTODON_MENTION.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e, _ in entities):
            entities.append((m.start(), m.end(), "@" + m.group(1)))
    total, pos = 0, 0
    for start, end, replacement in sorted(entities):
        total += _graphemes(text[pos:start]) + len(replacement)
        pos = end
    return total + _graphemes(text[pos:])


def _check(red: str) -> str:
    if red not in REDES:
        raise ValueError(f"Red social desconocida: {red!r}; usa una de: {', '.join(REDES)}")
    return red


def limit(red: str) -> int:
    """Maximum length of one post on ``red`` ("x", "mastodon" or "bluesky")."""
    red = _check(red)
    if red == "x":
        return _x_config()["maxWeightedTweetLength"]
    return _MASTODON_LIMIT if red == "mastodon" else _BLUESKY_LIMIT


def count(text: str, red: str) -> int:
    """Length of ``text`` as ``red`` counts it against :func:`limit`."""
    red = _check(red)
    if red == "x":
        return parse_x(text).weighted_length
    if red == "mastodon":
        return _mastodon_count(text)
    return _graphemes(text)


def fits(text: str, red: str) -> bool:
    """Whether ``text`` can be published as one post: not empty and within the limit."""
    if _check(red) == "x":
        return parse_x(text).valid
    return 0 < count(text, red) <= limit(red)


# --- Threads --------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?\u2026:;][)\]\"'\u00bb\u201d\u2019]*$")


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    sentence_end: bool
    cut_after: bool = True  # False inside parentheses or a citation ("(art. N TRLGDCU)")


# A citation's words stay together: never a cut right after "art." or before its number.
_CITE_OPENS = re.compile(r"^\(?(?:arts?\.|apartado|párrafo)$", re.IGNORECASE)


def _suffix(k: int, total: int) -> str:
    return f" ({k}/{total})"


def _atoms(text: str, red: str, lim: int) -> list[_Atom]:
    """Words of ``text``; a word too long for any post is cut by graphemes (only then)."""
    worst = _suffix(len(text), len(text))  # no thread has more parts than code points
    atoms: list[_Atom] = []
    words = list(re.finditer(r"\S+", text))
    depth = 0
    for n, w in enumerate(words):
        gap_after = text[w.end() : words[n + 1].start()] if n + 1 < len(words) else "\n"
        ends = bool(_SENTENCE_END.search(w.group())) or "\n" in gap_after
        depth = max(0, depth + w.group().count("(") - w.group().count(")"))
        cut = depth == 0 and not _CITE_OPENS.match(w.group())
        if count(w.group() + worst, red) <= lim:
            atoms.append(_Atom(w.start(), w.end(), ends, cut))
            continue
        pieces = _hard_split(w.group(), red, lim, worst)
        pos = w.start()
        for j, piece in enumerate(pieces):
            last = j == len(pieces) - 1
            atoms.append(_Atom(pos, pos + len(piece), ends and last, cut or not last))
            pos += len(piece)
    return atoms


def _hard_split(word: str, red: str, lim: int, worst: str) -> list[str]:
    units = _GRAPHEME.findall(word)
    # A single grapheme too long for a post (hundreds of combining marks) goes by code points.
    units = [u for g in units for u in ([g] if count(g + worst, red) <= lim else list(g))]
    pieces: list[str] = []
    current = ""
    for unit in units:
        if current and count(current + unit + worst, red) > lim:
            pieces.append(current)
            current = ""
        current += unit
    pieces.append(current)
    return pieces


def _pack(text: str, atoms: list[_Atom], red: str, lim: int, total: int) -> list[str]:
    """Greedy packing; cut at the last sentence end if that keeps half the part or more.

    Never inside parentheses or a citation, unless one alone is longer than a post.
    """
    parts: list[str] = []
    i = 0
    while i < len(atoms):
        suffix = _suffix(len(parts) + 1, total)
        j = i + 1  # one atom always fits: atoms were sized for the longest possible suffix
        while j < len(atoms) and count(text[atoms[i].start : atoms[j].end] + suffix, red) <= lim:
            j += 1
        cut = j
        if j < len(atoms):
            cut = next((m for m in range(j, i, -1) if atoms[m - 1].cut_after), j)
            full = atoms[cut - 1].end - atoms[i].start
            for m in range(cut, i, -1):
                if atoms[m - 1].sentence_end and atoms[m - 1].cut_after:
                    if 2 * (atoms[m - 1].end - atoms[i].start) >= full:
                        cut = m
                    break
        parts.append(text[atoms[i].start : atoms[cut - 1].end])
        i = cut
    return parts


def split_thread(text: str, red: str) -> list[str]:
    """Split ``text`` into numbered posts that each fit ``red``'s limit, numbering included.

    A text that fits is returned as ``[text]``; a blank text gives ``[]``. Otherwise every
    post ends with `` (k/N)``, cuts fall between words (preferably after a sentence) and
    only a single word longer than a whole post is cut inside.
    """
    lim = limit(red)
    if not text.strip():
        return []
    if count(text, red) <= lim:
        return [text]
    atoms = _atoms(text, red, lim)
    total = 1
    while True:
        parts = _pack(text, atoms, red, lim, total)
        if len(parts) == 1:
            return parts
        if len(parts) <= total:
            # Fewer parts than planned: the shorter numbering can only make each part shorter.
            return [p + _suffix(k, len(parts)) for k, p in enumerate(parts, 1)]
        total = len(parts)


# --- Top-level domains twitter-text recognises (its tld_lib list) -------------------------
# Internationalised TLDs are written in punycode ("xn--p1ai" is "рф") to keep this file ASCII;
# _tld_words() decodes them.

_GTLDS = """
aaa aarp abarth abb abbott abbvie abc able abogado abudhabi academy accenture accountant
accountants aco active actor adac ads adult aeg aero aetna afamilycompany afl africa agakhan
agency aig aigo airbus airforce airtel akdn alfaromeo alibaba alipay allfinanz allstate ally
alsace alstom americanexpress americanfamily amex amfam amica amsterdam analytics android anquan
anz aol apartments app apple aquarelle arab aramco archi army arpa art arte asda asia associates
athleta attorney auction audi audible audio auspost author auto autos avianca aws axa azure baby
baidu banamex bananarepublic band bank bar barcelona barclaycard barclays barefoot bargains
baseball basketball bauhaus bayern bbc bbt bbva bcg bcn beats beauty beer bentley berlin best
bestbuy bet bharti bible bid bike bing bingo bio biz black blackfriday blanco blockbuster blog
bloomberg blue bms bmw bnl bnpparibas boats boehringer bofa bom bond boo book booking boots
bosch bostik boston bot boutique box bradesco bridgestone broadway broker brother brussels
budapest bugatti build builders business buy buzz bzh cab cafe cal call calvinklein cam camera
camp cancerresearch canon capetown capital capitalone car caravan cards care career careers cars
cartier casa case caseih cash casino cat catering catholic cba cbn cbre cbs ceb center ceo cern
cfa cfd chanel channel charity chase chat cheap chintai chloe christmas chrome chrysler church
cipriani circle cisco citadel citi citic city cityeats claims cleaning click clinic clinique
clothing cloud club clubmed coach codes coffee college cologne com comcast commbank community
company compare computer comsec condos construction consulting contact contractors cooking
cookingchannel cool coop corsica country coupon coupons courses cpa credit creditcard
creditunion cricket crown crs cruise cruises csc cuisinella cymru cyou dabur dad dance data date
dating datsun day dclk dds deal dealer deals degree delivery dell deloitte delta democrat dental
dentist desi design dev dhl diamonds diet digital direct directory discount discover dish diy
dnp docs doctor dodge dog doha domains doosan dot download drive dtv dubai duck dunlop duns
dupont durban dvag dvr earth eat eco edeka edu education email emerck energy engineer
engineering enterprises epost epson equipment ericsson erni esq estate esurance etisalat
eurovision eus events everbank exchange expert exposed express extraspace fage fail fairwinds
faith family fan fans farm farmers fashion fast fedex feedback ferrari ferrero fiat fidelity
fido film final finance financial fire firestone firmdale fish fishing fit fitness flickr
flights flir florist flowers flsmidth fly foo food foodnetwork football ford forex forsale forum
foundation fox free fresenius frl frogans frontdoor frontier ftr fujitsu fujixerox fun fund
furniture futbol fyi gal gallery gallo gallup game games gap garden gay gbiz gdn gea gent
genting george ggee gift gifts gives giving glade glass gle global globo gmail gmbh gmo gmx
godaddy gold goldpoint golf goo goodhands goodyear goog google gop got gov grainger graphics
gratis green gripe grocery group guardian gucci guge guide guitars guru hair hamburg hangout
haus hbo hdfc hdfcbank health healthcare help helsinki here hermes hgtv hiphop hisamitsu hitachi
hiv hkt hockey holdings holiday homedepot homegoods homes homesense honda honeywell horse
hospital host hosting hot hoteles hotels hotmail house how hsbc htc hughes hyatt hyundai ibm
icbc ice icu ieee ifm iinet ikano imamat imdb immo immobilien inc industries infiniti info ing
ink institute insurance insure int intel international intuit investments ipiranga irish iselect
ismaili ist istanbul itau itv iveco iwc jaguar java jcb jcp jeep jetzt jewelry jio jlc jll jmp
jnj jobs joburg jot joy jpmorgan jprs juegos juniper kaufen kddi kerryhotels kerrylogistics
kerryproperties kfh kia kim kinder kindle kitchen kiwi koeln komatsu kosher kpmg kpn krd kred
kuokgroup kyoto lacaixa ladbrokes lamborghini lamer lancaster lancia lancome land landrover
lanxess lasalle lat latino latrobe law lawyer lds lease leclerc lefrak legal lego lexus lgbt
liaison lidl life lifeinsurance lifestyle lighting like lilly limited limo lincoln linde link
lipsy live living lixil llc llp loan loans locker locus loft lol london lotte lotto love lpl
lplfinancial ltd ltda lundbeck lupin luxe luxury macys madrid maif maison makeup man management
mango map market marketing markets marriott marshalls maserati mattel mba mcd mcdonalds mckinsey
med media meet melbourne meme memorial men menu meo merckmsd metlife miami microsoft mil mini
mint mit mitsubishi mlb mls mma mobi mobile mobily moda moe moi mom monash money monster
montblanc mopar mormon mortgage moscow moto motorcycles mov movie movistar msd mtn mtpc mtr
museum mutual mutuelle nab nadex nagoya name nationwide natura navy nba nec net netbank netflix
network neustar new newholland news next nextdirect nexus nfl ngo nhk nico nike nikon ninja
nissan nissay nokia northwesternmutual norton now nowruz nowtv nra nrw ntt nyc obi observer off
office okinawa olayan olayangroup oldnavy ollo omega one ong onion onl online onyourside ooo
open oracle orange org organic orientexpress origins osaka otsuka ott ovh page pamperedchef
panasonic panerai paris pars partners parts party passagens pay pccw pet pfizer pharmacy phd
philips phone photo photography photos physio piaget pics pictet pictures pid pin ping pink
pioneer pizza place play playstation plumbing plus pnc pohl poker politie porn post pramerica
praxi press prime pro prod productions prof progressive promo properties property protection pru
prudential pub pwc qpon quebec quest qvc racing radio raid read realestate realtor realty
recipes red redstone redumbrella rehab reise reisen reit reliance ren rent rentals repair report
republican rest restaurant review reviews rexroth rich richardli ricoh rightathome ril rio rip
rmit rocher rocks rodeo rogers room rsvp rugby ruhr run rwe ryukyu saarland safe safety sakura
sale salon samsclub samsung sandvik sandvikcoromant sanofi sap sapo sarl sas save saxo sbi sbs
sca scb schaeffler schmidt scholarships school schule schwarz science scjohnson scor scot search
seat secure security seek select sener services ses seven sew sex sexy sfr shangrila sharp shaw
shell shia shiksha shoes shop shopping shouji show showtime shriram silk sina singles site ski
skin sky skype sling smart smile sncf soccer social softbank software sohu solar solutions song
sony soy space spiegel sport spot spreadbetting srl srt stada staples star starhub statebank
statefarm statoil stc stcgroup stockholm storage store stream studio study style sucks supplies
supply support surf surgery suzuki swatch swiftcover swiss sydney symantec systems tab taipei
talk taobao target tatamotors tatar tattoo tax taxi tci tdk team tech technology tel telecity
telefonica temasek tennis teva thd theater theatre tiaa tickets tienda tiffany tips tires tirol
tjmaxx tjx tkmaxx tmall today tokyo tools top toray toshiba total tours town toyota toys trade
trading training travel travelchannel travelers travelersinsurance trust trv tube tui tunes
tushu tvs ubank ubs uconnect unicom university uno uol ups vacations vana vanguard vegas
ventures verisign versicherung vet viajes video vig viking villas vin vip virgin visa vision
vista vistaprint viva vivo vlaanderen vodka volkswagen volvo vote voting voto voyage vuelos
wales walmart walter wang wanggou warman watch watches weather weatherchannel webcam weber
website wed wedding weibo weir whoswho wien wiki williamhill win windows wine winners wme
wolterskluwer woodside work works world wow wtc wtf xbox xerox xfinity xihuan xin xn--11b4c3d
xn--1ck2e1b xn--1qqw23a xn--30rr7y xn--3bst00m xn--3ds443g xn--3oq18vl8pn36a xn--3pxu8k
xn--42c2d9a xn--45q11c xn--4gbrim xn--55qw42g xn--55qx5d xn--5su34j936bgsg xn--5tzm5g
xn--6frz82g xn--6qq986b3xl xn--80adxhks xn--80aqecdr1a xn--80asehdb xn--80aswg xn--8y0a063a
xn--9dbq2a xn--9et52u xn--9krt00a xn--b4w605ferd xn--bck1b9a5dre4c xn--c1avg xn--c2br7g
xn--cck2b3b xn--cg4bki xn--czr694b xn--czrs0t xn--czru2d xn--d1acj3b xn--eckvdtc9d xn--efvy88h
xn--estv75g xn--fct429k xn--fhbei xn--fiq228c5hs xn--fiq64b xn--fjq720a xn--flw351e
xn--fzys8d69uvgm xn--g2xx48c xn--gckr3f0f xn--gk3at1e xn--hxt814e xn--i1b6b1a6a2e xn--imr513n
xn--io0a7i xn--j1aef xn--jlq61u9w7b xn--jvr189m xn--kcrx77d1x4a xn--kpu716f xn--kput3i
xn--mgba3a3ejt xn--mgba7c0bbn0a xn--mgbaakc7dvf xn--mgbab2bd xn--mgbb9fbpob xn--mgbca7dzdo
xn--mgbi4ecexp xn--mgbt3dhd xn--mk1bu44c xn--mxtq1m xn--ngbc5azd xn--ngbe9e0a xn--ngbrx
xn--nqv7f xn--nqv7fs00ema xn--nyqy26a xn--otu796d xn--p1acf xn--pbt977c xn--pssy2u xn--q9jyb4c
xn--qcka1pmc xn--rhqv96g xn--rovu88b xn--ses554g xn--t60b56a xn--tckwe xn--tiq49xqyj xn--unup4y
xn--vermgensberater-ctb xn--vermgensberatung-pwb xn--vhquv xn--vuq861b xn--w4r85el8fhu5dnra
xn--w4rs40l xn--xhq521b xn--zfr164b xperia xxx xyz yachts yahoo yamaxun yandex yodobashi yoga
yokohama you youtube yun zappos zara zero zip zippo zone zuerich
"""

_CCTLDS = """
ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq
br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz
ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw
gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz
la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx
my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro
rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk
tl tm tn to tp tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws xn--2scrj9c
xn--3e0b707e xn--3hcrj9c xn--45br5cyl xn--45brj9c xn--54b7fta0cc xn--80ao21a xn--90a3ac xn--90ae
xn--90ais xn--clchc0ea0b2g2a9gcd xn--d1alf xn--e1a4c xn--fiqs8s xn--fiqz9s xn--fpcrj9c3d
xn--fzc2c9e2c xn--gecrj9c xn--h2breg3eve xn--h2brj9c xn--h2brj9c8c xn--j1amh xn--j6w193g
xn--kprw13d xn--kpry57d xn--l1acc xn--lgbbat1ad8j xn--mgb9awbf xn--mgba3a4f16a xn--mgbaam7a8h
xn--mgbah1a3hjkrd xn--mgbai9azgqp6j xn--mgbayh7gpa xn--mgbbh1a xn--mgbbh1a71e xn--mgbc0a9azcg
xn--mgbcpq6gpa1a xn--mgberp4a5d4ar xn--mgbgu82a xn--mgbpl2fh xn--mgbtx2b xn--mgbx4cd0ab
xn--mix891f xn--node xn--o3cw4h xn--ogbpf8fl xn--p1ai xn--pgbs0dh xn--q7ce6a xn--qxa6a xn--qxam
xn--rvc1e0am3e xn--s9brj9c xn--wgbh1c xn--wgbl6a xn--xkc2al3hye2a xn--xkc2dl3a5ee0h xn--y9a3aq
xn--yfro4i67o xn--ygbi2ammx ye yt za zm zw
"""
