"""Every rule on pages where it must remove and pages where it must keep. The pages are made up here,
in several languages, so the rules are held to their kind of boilerplate, not to the samples' words."""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from newsclean import NotAnArticle, Options, Page, clean_page, rules
from newsclean.blocks import Block
from newsclean.rules import RULE_NAMES
from newsclean.rules.title import extends_headline
from newsclean.text import fold

# Paragraphs of an ordinary article, to put boilerplate around.
P1 = ("The city council voted on Tuesday to extend the tram line to the northern suburbs, ending a "
      "debate that had lasted almost a decade.")
P2 = ("Construction is expected to begin next spring and will cost about 240 million euros, most of it "
      "paid for by the regional government.")
P3 = ("Opponents said the money would be better spent on buses, which they argue could serve more "
      "neighbourhoods at a fraction of the price.")
P4 = ("The mayor said the first trams could run on the new line by the end of 2027 if the works go to "
      "plan and no legal challenges are filed.")
BODY = [P1, P2, P3, P4]


def clean(*lines, options=Options()):
    return clean_page(Page(url="https://example.com/news/1", raw_text="\n\n".join(lines)), options)


def removed_by(article, rule):
    return [r.text for r in article.removed if r.rule == rule]


def assert_body(article, paragraphs=BODY):
    assert article.text.split("\n") == paragraphs


# --- shortcode -------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    '[caption id="attachment_9" align="alignleft" width="300"]Trams in the depot. Photo: City[/caption]',
    '[gallery ids="12,13,14" columns="3"]',
    "{{Infobox transit line | name = North line}}",
    "[/embed]",
])
def test_shortcode_lines_go(code):
    article = clean(P1, P2, code, P3, P4)
    assert_body(article)
    assert removed_by(article, "shortcode.residue") == [code]


def test_inline_shortcode_is_cut_and_the_paragraph_stays():
    article = clean(P1, P2 + " [embed]https://video.example.com/v/123[/embed]", P3, P4)
    assert_body(article)
    assert removed_by(article, "shortcode.residue") == ["[embed]https://video.example.com/v/123[/embed]"]


def test_a_block_whose_text_a_rule_cut_has_the_shape_of_its_new_text():
    block = Block(P2 + " [embed]https://video.example.com/v/123[/embed]", 1)
    shapes = [name for name, value in vars(Block).items() if hasattr(value, "func")]
    for name in shapes:
        getattr(block, name)  # computed from the old text
    block.set_text(P2)
    fresh = Block(P2, 1)
    assert len(shapes) >= 6 and all(getattr(block, name) == getattr(fresh, name) for name in shapes)


def test_brackets_in_prose_are_not_shortcodes():
    with_brackets = "He said the [northern] extension “is long overdue” and thanked residents for their patience."
    assert_body(clean(P1, with_brackets, P3, P4), [P1, with_brackets, P3, P4])


# --- chrome ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "4 min read", "Lesezeit: 3 Min.", "5 min de lecture", "Share this article", "Follow us on Instagram",
    "© 2023 Example Media Group", "Tous droits réservés", "Advertisement", "Anzeige",
    "We use cookies to improve your experience on our site.", "Sign up for our newsletter", "•", "17",
    "Share this article ✉️", "▶️ Follow us on Instagram",  # an emoji's variation selector is no word
])
def test_chrome_lines_go(line):
    article = clean(P1, P2, line, P3, P4)
    assert_body(article)
    assert [r.rule.split(".")[0] for r in article.removed] == ["chrome"]


@pytest.mark.parametrize("line", [
    "The bakery said its cookies sold out within an hour on Saturday, and it plans to bake twice as many next week.",
    "The lawsuit alleges copyright infringement by the streaming company over the use of archive footage.",
    "Die Stadtwerke zeigten sich mit dem Ergebnis einverstanden und kündigten weitere Gespräche für den Herbst an.",
])
def test_chrome_words_in_prose_stay(line):
    assert_body(clean(P1, line, P3, P4), [P1, line, P3, P4])


@pytest.mark.parametrize("line", ["Search continues tonight.", "Home prices fell again.", "Поиск продолжается всю ночь."])
def test_a_short_sentence_opening_with_a_labels_word_stays(line):
    assert_body(clean(P1, P2, line, P3, P4), [P1, P2, line, P3, P4])


@pytest.mark.parametrize("line", ["Share it!", "Search Jobs", "Loading Comments...", "Lesezeit: 3 Min.", "Share Post."])
def test_a_label_opening_with_a_labels_word_goes(line):
    article = clean(P1, P2, line, P3, P4)
    assert_body(article)
    assert [r.rule.split(".")[0] for r in article.removed] == ["chrome"]


# --- metadata --------------------------------------------------------------------------------------

def test_labelled_lines_become_fields():
    article = clean("Published: 12 March 2023", "Source: The Example Gazette", "Author: Jane Doe", *BODY)
    assert_body(article)
    assert (article.date, article.sitename, article.author) == ("2023-03-12", "The Example Gazette", "Jane Doe")


@pytest.mark.parametrize("line, author", [("By Jane Doe and John Roe", "Jane Doe and John Roe"),
                                          ("Von Anna Schmidt", "Anna Schmidt"), ("Par Marie Dupont", "Marie Dupont")])
def test_bylines_become_author(line, author):
    article = clean(line, *BODY)
    assert_body(article)
    assert article.author == author


def test_a_sentence_opening_with_by_stays():
    line = "By the end of the year, the company expects to hire 200 more engineers in its Berlin office."
    assert_body(clean(P1, line, P3, P4), [P1, line, P3, P4])


def test_labelled_date_beats_a_date_banner():
    article = clean("Tuesday 25.11.2025", "Tram line approved after decade of debate", "Date: Mar 5, 2019", *BODY)
    assert article.date == "2019-03-05"
    assert_body(article)


def test_date_line_after_headline_is_the_publication_date():
    article = clean("SAT 01 - 02 - 2025", "Tram line approved after decade of debate", "14 June, 2019", *BODY)
    assert article.date == "2019-06-14"
    assert article.title == "Tram line approved after decade of debate"
    assert_body(article)


@pytest.mark.parametrize("line, iso", [("14.05.2024", "2024-05-14"), ("2024-05-14", "2024-05-14"),
                                       ("May 14, 2024", "2024-05-14"), ("14 May 2024", "2024-05-14")])
def test_a_date_line_too_short_to_pass_for_a_sentence_is_the_date_not_widget_residue(line, iso):
    article = clean("Tram line approved after decade of debate", line, *BODY)
    assert article.date == iso
    assert_body(article)


@pytest.mark.parametrize("line", ["2024年5月14日 15時22分", "发布时间：2024年05月14日 10:05", "2024년 5월 14일 15:22",
                                  "송고시간2024-05-14 15:22", "입력 2024. 5. 14. 오후 3:22"])
def test_a_date_line_of_chinese_japanese_or_korean_is_the_date(line):
    article = clean("Tram line approved after decade of debate", line, *BODY)
    assert article.date == "2024-05-14"
    assert_body(article)


def test_a_date_line_of_the_teasers_below_the_article_is_not_its_date():
    teasers = ["Share this article", "Tags: transport, city council", "More from the city desk",
               "Bus fares to rise in January across the region", "12.05.2024",
               "School board elects a new chair after a tight vote", "11.05.2024",
               "Harbour bridge to close for repairs next month", "10.05.2024"]
    article = clean("Tram line approved after decade of debate", *BODY, *teasers)
    assert_body(article)
    assert article.date is None


def test_the_articles_labelled_date_beats_a_teasers_labelled_date_below_it():
    teasers = ["Related News", "Bus fares to rise in January across the region", "Date: 12 March 2015"]
    article = clean("Tram line approved after decade of debate", "Date: 4 September 2018", *BODY, *teasers)
    assert article.date == "2018-09-04"
    assert_body(article)


def test_a_date_after_today_is_not_the_publication_date():
    coming = dt.date.today() + dt.timedelta(days=30)
    article = clean("Tram line approved after decade of debate", f"Date: {coming:%d.%m.%Y}", "14.05.2024", *BODY)
    assert article.date == "2024-05-14"


def test_prose_with_a_date_stays():
    line = "The council first discussed the extension on 3 May 2016, when the plan was still a sketch."
    assert_body(clean(P1, line, P3, P4), [P1, line, P3, P4])
    assert clean(P1, line, P3, P4).date is None


# --- title -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("title_line", ["Tram line approved after decade of debate | Example Gazette",
                                        "Tram line approved after decade of debate • Example Gazette",
                                        "Example Gazette - Tram line approved after decade of debate",
                                        "Example Gazette: Tram line approved after decade of debate"])
def test_title_from_a_title_line_and_headline(title_line):
    article = clean(title_line, "Menu", "Tram line approved after decade of debate", *BODY)
    assert article.title == "Tram line approved after decade of debate"
    assert article.sitename == "Example Gazette"
    assert_body(article)


def test_a_copy_of_the_title_line_spaced_otherwise_goes_too():
    headline = "Tram line approved after decade of debate"
    copy = "Tram line  approved after decade of debate  –  Example Gazette"
    article = clean(f"{headline} | Example Gazette", "Menu", headline, P1, P2, copy, P3, P4)
    assert article.title == headline
    assert_body(article)
    assert copy in removed_by(article, "title.headline")


def test_a_paragraph_opening_with_the_headline_and_a_quotation_stays():
    headline = "Le maire relance le projet de tramway"
    quoted = f"{headline} « pierre par pierre », a-t-il déclaré mardi devant le conseil municipal réuni en séance."
    article = clean(f"{headline} | Le Progrès", "Menu", headline, quoted, P1, P2, P3)
    assert article.title == headline
    assert article.text.split("\n")[0] == quoted


def test_a_headline_with_a_colon_printed_whole_is_not_split_into_site_and_headline():
    headline = "Tram line: council approves the plan after a decade of debate"
    article = clean(headline, "Menu", headline, *BODY)
    assert article.title == headline
    assert article.sitename is None
    assert_body(article)


def test_the_article_is_under_the_copy_of_the_headline_that_heads_it():
    # The headline stands first in a menu of teasers, a long menu above the article's own copy.
    teaser = "Read how the city council finally settled the question of the northern tram line."
    menu = [f"Section {n} news" for n in range(45)]
    article = clean("Tram line approved after decade of debate | Example Gazette",
                    "Tram line approved after decade of debate", teaser, *menu,
                    "Tram line approved after decade of debate", *BODY)
    assert_body(article)


def test_the_article_is_under_its_headline_with_a_source_not_under_a_copy_in_the_comments():
    # The article's own headline carries its source and comment count; the only copy printed alone
    # heads the comment thread below.
    comment = "Buses would have been cheaper and faster to run, as anyone who takes them every day knows."
    menu = [f"Section {n} news" for n in range(12)]
    article = clean("Tram line approved after decade of debate | Example Gazette", *menu,
                    "Tram line approved after decade of debate (example.org) 87", *BODY, *menu,
                    "Tram line approved after decade of debate", "Reply", comment)
    assert article.title == "Tram line approved after decade of debate"
    assert_body(article)


@pytest.mark.parametrize("line, extends", [
    ("Tram line approved after decade of debate (example.org) 87", True),
    ("Tram line approved after decade of debate | Example Gazette", False),
    ("Tram line approved after decade of debate - Example Gazette", False),
    ("Tram line approved after decade of debate Team", False),
    ("Tram line approved after decade of debate, and what the buses will do when it opens", False),
])
def test_a_line_extends_the_headline_by_a_few_words_not_a_site_name(line, extends):
    assert extends_headline(fold(line), fold("Tram line approved after decade of debate")) is extends


def test_headline_printed_twice_goes_once_to_title():
    article = clean("Tram line approved after decade of debate", "Tram line approved after decade of debate", *BODY)
    assert article.title == "Tram line approved after decade of debate"
    assert len(removed_by(article, "title.headline")) == 2


def test_a_quote_printed_twice_is_no_headline_and_cleaning_again_keeps_it():
    quote = "“We will rebuild this town, one house at a time.”"
    article = clean(quote, P1, P2, quote, P3)
    assert_body(article, [quote, P1, P2, quote, P3])
    assert clean(article.text).text == article.text


def test_no_headline_no_title():
    article = clean(*BODY)
    assert article.title is None
    assert_body(article)


@pytest.mark.parametrize("menu, headline, caption, body", ids=["hindi", "korean"], argvalues=[
    # Hindi: vowel signs are part of their word ("दिल्ली" is one word), and the danda closes a sentence
    (["दिल्ली में गर्मी का कहर, पारा 45 डिग्री के पार; मौसम विभाग ने जारी किया ऑरेंज अलर्ट - अमर उजाला", "होम", "देश", "विदेश"],
     "दिल्ली में गर्मी का कहर, पारा 45 डिग्री के पार; मौसम विभाग ने जारी किया ऑरेंज अलर्ट",
     "दिल्ली में तेज धूप से बचने के लिए सिर ढककर चलते लोग - फोटो : संवाददाता",
     ["राजधानी दिल्ली में मंगलवार को भीषण गर्मी ने लोगों का हाल बेहाल कर दिया। अधिकतम तापमान 45.2 डिग्री सेल्सियस दर्ज किया गया।",
      "मौसम विभाग ने अगले तीन दिनों के लिए दिल्ली और आसपास के इलाकों में ऑरेंज अलर्ट जारी किया है।",
      "डॉक्टरों ने लोगों को दोपहर 12 बजे से शाम चार बजे तक धूप में निकलने से बचने की सलाह दी है।"]),
    # Korean writes spaces between its words: a headline of 13 is headline-shaped
    (["서울시 내년 1월부터 시내버스 기본요금 300원 인상 확정에 시민단체들 강하게 반발하며 철회 요구 | 연합뉴스", "홈", "정치", "경제"],
     "서울시 내년 1월부터 시내버스 기본요금 300원 인상 확정에 시민단체들 강하게 반발하며 철회 요구",
     "서울 시내를 달리는 시내버스의 모습 [연합뉴스 자료사진]",
     ["서울시는 14일 물가대책위원회를 열고 내년 1월부터 시내버스 기본요금을 300원 올리기로 확정했다고 밝혔다.",
      "시는 연료비와 인건비 상승으로 버스 회사들의 적자가 크게 늘어 요금 인상이 불가피하다고 설명했다.",
      "시민단체들은 서민 부담이 커진다며 인상 계획을 철회하라고 요구하는 성명을 냈다."]),
])
def test_a_headline_in_a_script_with_vowel_signs_or_spaced_syllables_is_the_title_its_title_line_names(
        menu, headline, caption, body):
    article = clean(*menu, headline, caption, caption, *body)
    assert article.title == headline
    assert_body(article, body)


# --- caption ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("caption", [
    "The new tram depot in the northern suburbs [Getty]",
    "The new tram depot in the northern suburbs. (AFP/Getty Images)",
    "Photo: Jane Doe/Example Agency",
    "Image credit: City of Example",
    "Foto: Stadtwerke",
    "The new tram depot in the northern suburbs. Reuters file photo",
])
def test_captions_and_credits_go(caption):
    article = clean(P1, caption, P2, P3, P4)
    assert_body(article)
    assert removed_by(article, "caption.credit") == [caption]


def test_caption_printed_twice_goes_both_times():
    caption = "Workers lay track on the existing line near the central station"
    article = clean(P1, P2, caption, caption, P3, P4)
    assert_body(article)
    assert removed_by(article, "caption.repeated") == [caption, caption]


@pytest.mark.parametrize("line", [
    "(Reuters) - The council voted on Tuesday to extend the tram line, officials said after the meeting.",
    "The militia, which calls itself the Northern Front (NF), controls the area around the depot.",
])
def test_brackets_in_prose_are_not_credits(line):
    assert_body(clean(P1, line, P3, P4), [P1, line, P3, P4])


# --- comments --------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", [
    ["Comments (3)", "Add your comment", "Name*", "Email*"],
    ["Kommentare", "Kommentar schreiben"],
    ["Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée."],
    ["Leave a Reply", "Your email address will not be published. Required fields are marked *"],
    ["No comments:", "Post a Comment"],
])
def test_comment_forms_go(form):
    article = clean(*BODY, *form)
    assert_body(article)
    assert removed_by(article, "comments.section")[0] == form[0]
    assert set(form) <= {r.text for r in article.removed}  # field labels may go as chrome too


@pytest.mark.parametrize("line", ["No.", "Yes!"])
def test_a_one_word_answer_is_no_widget_residue(line):
    assert_body(clean(P1, P2, line, P3, P4), [P1, P2, line, P3, P4])


def test_a_dash_in_a_sentence_opening_with_a_photo_word_is_no_credit():
    line = ("Video footage – shared widely by residents on social media – showed the water rising past the "
            "porch steps of several houses.")
    assert_body(clean(P1, P2, line, P3, P4), [P1, P2, line, P3, P4])
    caption = "Photo: Trams in the depot on Tuesday evening, before the vote"
    assert removed_by(clean(P1, P2, caption, P3, P4), "caption.credit") == [caption]


@pytest.mark.parametrize("teaser", ["READ MORE: Bus fares to rise in January across the region",
                                    "Lesen Sie auch: Parkgebühren steigen ab März deutlich an",
                                    "À lire aussi | La gare rouvre ses portes aux voyageurs",
                                    "Baca juga: Tarif bus naik mulai Januari di seluruh wilayah",
                                    "Czytaj także: Ceny biletów autobusowych wzrosną od stycznia",
                                    "Διαβάστε επίσης: Αυξάνονται τα εισιτήρια των λεωφορείων από τον Ιανουάριο",
                                    "यह भी पढ़ें: जनवरी से पूरे क्षेत्र में बस का किराया बढ़ेगा"])
def test_a_teaser_with_its_label_on_one_line_goes(teaser):
    article = clean(P1, P2, teaser, P3, P4)
    assert_body(article)
    assert removed_by(article, "navigation.related") == [teaser]


def test_a_sentence_after_read_more_stays():
    line = "Read more: the council said it would publish the full plan and its costs in May."
    assert_body(clean(P1, P2, line, P3, P4), [P1, P2, line, P3, P4])


def test_a_comment_thread_after_the_article_goes():
    comments = ["Jane Roe says:", "Great news for the north, about time the city did something.",
                "Mark on 12 March 2023 at 10:58 am said:", "Buses would have been cheaper, as usual."]
    article = clean(*BODY, *comments)
    assert_body(article)
    assert {comments[0], comments[2]} <= set(removed_by(article, "comments.thread"))


def test_a_dated_comment_header_opens_a_thread_whatever_the_comment_opens_with():
    comments = ["Jane Roe on 12 March 2023 at 10:58 am said:",
                "“About time” is all I can say, after twenty years of promises from every council we elected.",
                "Mark on 13 March 2023 at 9:02 am said:", "Buses would have been cheaper, as usual in this town."]
    article = clean(*BODY, *comments)
    assert_body(article)
    assert comments[0] in removed_by(article, "comments.thread")


def test_a_thread_of_names_over_dates_goes():
    comments = ["Jill Winger says", "July 25, 2015 at 10:20 am",
                "I have taken the tram to work for twenty years and I am glad the line will finally reach the "
                "northern suburbs where my parents live.",
                "Toni says", "July 22, 2015 at 10:33 am",
                "I was wondering if the trams will run at night as well, because the buses stop at eleven and "
                "there is no other way to get home from the centre."]
    article = clean(*BODY, *comments)
    assert_body(article)
    assert "Jill Winger says" in removed_by(article, "comments.thread")


def test_quotes_introduced_by_said_are_no_comment_thread():
    quoted = [P1, P2, "The mayor said:", "“We have waited long enough for this line, and so have the residents.”",
              "In a statement on 4 March 2024, the operator said:", "— Trams will run every six minutes.", P3, P4]
    assert_body(clean(*quoted), quoted)


def test_declining_to_comment_is_news():
    line = "The ministry declined to comment on the report when contacted by reporters on Tuesday evening."
    assert_body(clean(P1, line, P3, P4), [P1, line, P3, P4])


# --- navigation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("heading", ["Related articles", "À lire aussi", "Mehr zum Thema", "Read more"])
def test_related_lists_go(heading):
    teasers = ["Bus fares to rise in January", "New bridge opens to cyclists", "Station car park to close"]
    article = clean(*BODY, heading, *teasers)
    assert_body(article)
    assert removed_by(article, "navigation.related") == [heading, *teasers]


def test_menus_go():
    menu = ["Home", "Local news", "Business and economy", "Sport results", "Culture"]
    article = clean(*menu, P1, P2, P3, P4)
    assert_body(article)
    assert set(menu) <= {r.text for r in article.removed}
    assert removed_by(article, "navigation.link_list")


def test_a_menu_run_together_on_one_line_goes():
    menu = ("Home Local News Business and Economy Sport Results Culture and Arts Travel Guides Weather "
            "Forecast Opinion Letters to the Editor Obituaries Contact Us")
    article = clean(menu, *BODY)
    assert_body(article)


def test_in_article_subhead_stays():
    article = clean(P1, P2, "What happens next", P3, P4)
    assert_body(article, [P1, P2, "What happens next", P3, P4])


def test_a_turkish_label_in_capitals_with_a_dotless_i_is_a_label():
    body = ["Merkez Bankası faiz oranını yüzde 50 seviyesinde sabit tuttuğunu salı günü yaptığı açıklamayla duyurdu.",
            "Banka, enflasyondaki düşüşün beklenenden yavaş olduğunu ve sıkı para politikasının süreceğini belirtti.",
            "Ekonomistler, ilk faiz indiriminin yılın son çeyreğinden önce gelmesini beklemediklerini söyledi.",
            "Piyasalarda karar sonrası dolar kuru yatay seyrederken Borsa İstanbul günü hafif yükselişle tamamladı.",
            "Bankanın bir sonraki para politikası toplantısı haziran ayının ikinci haftasında yapılacak."]
    label, teaser = "BUNLARI DA OKUYUN", "Dolar haftaya yükselişle başladı, borsa güne düşüşle açıldı"
    article = clean(*body[:2], label, teaser, *body[2:])
    assert_body(article, body)
    assert label in removed_by(article, "navigation.related")


# --- appended story --------------------------------------------------------------------------------

SECOND = [
    "Harbour festival draws record crowds despite the rain",
    "Visitors on the quay during the opening night. Photo: Example Agency",
    "Saturday 12 August 2023",
    "More than 80,000 people visited the harbour festival over the weekend, organisers said on Sunday.",
    "Food stalls ran out of supplies by Saturday evening as queues stretched along the waterfront.",
    "The festival will return next year with a second stage for local bands, the organisers added.",
]


def test_an_appended_story_is_cut():
    article = clean(*BODY, *SECOND)
    assert_body(article)
    assert removed_by(article, "appended.story") == SECOND


def test_a_live_blogs_entries_stay():
    entries = []
    for headline, time, byline, paragraph in [
        ("Council opens the debate on the northern line", "14:52 GMT", "By Anna Kovalenko", P2),
        ("Opponents call for buses instead of trams", "14:20 GMT", "By Anna Kovalenko", P3),
        ("Mayor promises the first trams by 2027", "13:45 GMT", "By Mark Jones", P4),
    ]:
        entries += [headline, time, byline, paragraph]
    article = clean("Tram line vote live: council decides on extension", "Live", P1, *entries)
    assert P1 in article.text and P2 in article.text and P4 in article.text
    assert not removed_by(article, "appended.story")


def test_same_article_sections_stay():
    separately = ("Separately, the council approved a new cycle lane along the river, which will open in "
                  "stages from next summer.")
    article = clean(P1, P2, "Cycle lanes too", separately, P3, P4)
    assert_body(article, [P1, P2, "Cycle lanes too", separately, P3, P4])


# A whole page as its raw text shows it: <title> line, header, headline, story, footer.
def page(title, site, story, header=("Skip to content", "Menu", "Home", "Local news", "Sport", "Search")):
    return [f"{title} | {site}", *header, title, *story,
            "About us", "Contact", "Privacy policy", f"© 2024 {site}. All rights reserved."]


FIRST_PAGE = page("Tram line to reach the northern suburbs", "City Courier", BODY)
SECOND_PAGE = page("Harbour festival draws record crowds despite the rain", "Harbour Times", SECOND[2:])


def retitled(second, title_line):
    return [title_line, *second[1:]]


APPENDED_PAGES = {
    "whole": SECOND_PAGE,
    "longer than the article": page("Harbour festival draws record crowds despite the rain", "Harbour Times",
                                    SECOND[2:] + BODY),
    # The next page's <title> line is its bare headline: its header chrome tells it from a subhead.
    "without site names": retitled(SECOND_PAGE, "Harbour festival draws record crowds despite the rain"),
    # The <title> line is not printed again: the footer above it and the header below it tell.
    "headline differs from its title": retitled(SECOND_PAGE[:-4] + BODY + SECOND_PAGE[-4:],
                                                "Record crowds at the harbour | Harbour Times"),
    "title runs on past its headline": retitled(
        SECOND_PAGE, "Harbour festival draws record crowds despite the rain: what we saw"),
}


@pytest.mark.parametrize("second", APPENDED_PAGES.values(), ids=APPENDED_PAGES.keys())
def test_an_appended_page_is_cut(second):
    article = clean(*FIRST_PAGE, *second)
    assert_body(article)
    assert article.title == "Tram line to reach the northern suburbs"
    assert removed_by(article, "appended.story") == second


def test_a_table_of_contents_is_not_a_page_break():
    # Headings listed above the sections they head, a menu item printed again: no second page.
    contents = ["Contents", "What the council decided", "What it will cost", "What happens next"]
    article = clean("Tram line to reach the northern suburbs | City Courier", "Home", "Local news",
                    "Tram line to reach the northern suburbs", P1, P2, *contents,
                    "What the council decided", P3, "What it will cost", P4, "What happens next", P1,
                    "Local news")
    assert "What happens next" in article.text.split("\n")
    assert article.text.split("\n")[-1] == P1
    assert not removed_by(article, "appended.story")



# A next page that never prints its <title> line again: only the stretch between the two stories tells
# (the first page's footer, the next page's menus, its own date line and byline) and the next story's
# words, which have nothing to do with the article's.
MENU = ["News", "Sport", "Culture", "Weather", "Opinion", "Podcasts", "Newsletters", "Events", "Jobs",
        "Subscribe", "Log in"]
OTHER_STORY = [
    "Rovers sign teenage striker from their rivals",
    "Sunday 3 March 2024",
    "By Anna Berg",
    ("Rovers have signed the seventeen-year-old striker Jonas Lind from their local rivals on a "
     "four-year contract, the club announced on Sunday."),
    ("Lind scored eleven goals in his first season with the youth team and made his league debut in "
     "October, coming off the bench in the derby."),
    ("The manager said the forward would train with the first team straight away and could play in "
     "the cup match against the champions next weekend."),
    ("Supporters queued outside the stadium shop for shirts with his name and number within an hour "
     "of the announcement."),
    ("His former club wished him luck and said part of the fee would go to the academy that trained "
     "him."),
]
FOOTER = ["About us", "Contact", "Privacy policy", "© 2024 City Courier. All rights reserved."]
# A header menu short enough to be printed twice (for wide and narrow screens), with search and login.
SHORT_MENU = ["News", "Sport", "Culture", "Search", "Log in"]


def test_an_appended_page_that_never_prints_its_title_again_is_cut():
    second = [*MENU, *OTHER_STORY]
    article = clean(FIRST_PAGE[0], *FIRST_PAGE[1:-4], *FOOTER, *second)
    assert_body(article)
    assert removed_by(article, "appended.story") == second


# More of the article's story, in its own words.
MORE = [("The council said the tram line to the northern suburbs would also carry bikes, and that the "
         "construction of the line would start at the depot next spring."),
        ("Opponents of the tram line said they would still ask the regional government to spend the "
         "money on buses for the northern suburbs instead."),
        ("The regional government said it would pay for the tram line and for more buses, and that "
         "the first trams would run to the northern suburbs by 2027."),
        ("The council will publish the plans for the line and its stops in the northern suburbs "
         "next month, and residents can comment on them until the end of the year.")]


def test_a_next_page_with_few_marks_of_an_edge_on_another_subject_is_cut():
    # Only the first page's copyright line, the next page's <title> line and a short header of section
    # names stand between the stories (no date line, no byline, the headline not printed again): too
    # few marks of a page's edge, unless the story below shares next to nothing with what the article
    # has said in its sentences.
    second = [f"{OTHER_STORY[0]} | Sports Daily", *MENU[:7], *OTHER_STORY[3:]]
    article = clean(*FIRST_PAGE[:-4], *MORE, FOOTER[-1], *second)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert removed_by(article, "appended.story") == second


def test_a_next_page_whose_header_holds_a_line_of_prose_is_cut():
    # The next page's <title> line is long enough to read as prose and its header opens with the site's
    # motto, a sentence: neither starts the next story, so the stretch runs from the first page's
    # footer over the whole header to the story.
    title_line = "What the signing of a teenage striker means for the cup run this season - Sports Daily"
    second = [title_line, "Sports Daily brings you the news from every ground in the region.", *MENU,
              *OTHER_STORY]
    article = clean(*FIRST_PAGE, *second)
    assert_body(article)
    assert removed_by(article, "appended.story") == second


def test_a_copyright_line_naming_its_years_is_a_footer():
    second = [*MENU, *OTHER_STORY]
    article = clean(*FIRST_PAGE[:-1], "Copyright Anna Berg 2012-2024. CC BY-NC 4.0.", *second)
    assert_body(article)
    assert removed_by(article, "appended.story") == second


def test_a_menu_printed_twice_below_a_title_line_marks_a_next_page():
    # No footer, the headline not printed again: the <title> line, the header's menu printed twice (for
    # wide and narrow screens), its search and login links and the story's date line tell.
    second = ["Transfer news | Sports Daily", *SHORT_MENU, *SHORT_MENU, *OTHER_STORY]
    article = clean(*FIRST_PAGE[:-4], *MORE, *second)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert removed_by(article, "appended.story") == second


def test_header_chrome_below_the_articles_headline_marks_a_next_page():
    # No footer, the next headline not printed again: the next page's <title> line, its skip link and
    # search button among its sections, and its date line tell. Below the article's headline (its
    # <title> line named it), header chrome is the next page's, not this one's own header.
    second = [f"{OTHER_STORY[0]} | Sports Daily", "Skip to content", *MENU[:4], "Search", *OTHER_STORY[1:]]
    article = clean(*FIRST_PAGE[:-4], *MORE, *second)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert removed_by(article, "appended.story") == second


def test_a_menu_printed_twice_below_the_articles_headline_marks_a_next_page():
    # Neither a footer nor a <title> line: the header's menu printed twice, its search and login links
    # and the story's date line, below the article's headline.
    second = [*SHORT_MENU, *SHORT_MENU, *OTHER_STORY]
    article = clean(*FIRST_PAGE[:-4], *MORE, *second)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert removed_by(article, "appended.story") == second


def test_a_short_last_paragraph_under_a_promotion_stays_with_the_article():
    # The cut starts below the article's last lines, not below its last long paragraph.
    last = "The council will discuss the tram line again at its next meeting, on Tuesday evening."
    second = [*SHORT_MENU, *SHORT_MENU, *OTHER_STORY]
    article = clean(*FIRST_PAGE[:-4], *MORE, "Trams across Europe", last, *second)
    assert article.text.split("\n")[-1] == last
    assert removed_by(article, "appended.story") == second


def test_a_footers_links_and_the_next_headers_chrome_together_mark_a_next_page():
    # No copyright line and no <title> line: the first page's footer links (about, contact, privacy)
    # run into the next page's skip link and search, many distinct lines of chrome.
    second = ["Skip to content", "Search", *OTHER_STORY[1:]]
    article = clean(*FIRST_PAGE[:-4], *MORE, "About us", "Contact", "Privacy policy", *second)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert removed_by(article, "appended.story") == ["About us", "Contact", "Privacy policy", *second]


def test_a_next_page_opening_far_above_its_story_is_cut():
    # The next page's <title> line and its headline printed again (a page's opening), then a table of
    # contents: its story starts too far below the headline for the headline rule, and the stretch
    # holds nothing else of a page's edge.
    contents = [f"Part {n}: how the transfer came about" for n in range(1, 13)]
    second = [f"{OTHER_STORY[0]} | Sports Daily", OTHER_STORY[0], *contents, *OTHER_STORY[3:]]
    article = clean(*FIRST_PAGE[:-4], *MORE, *second)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert removed_by(article, "appended.story") == second


def test_header_chrome_above_an_article_whose_headline_is_not_known_is_no_page_break():
    # A promotion in sentences opens the page, then its chrome (many lines of it), a <title> line no
    # rule can tie to a headline, its sections and a date line: more marks than a page's edge below an
    # article's headline, but here they may be the page's own header above its article.
    promotion = ["Sports Daily brings you the news from every ground in the region, every weekend of the "
                 "season, in words and pictures from our own reporters, and the results of every match as "
                 "soon as the final whistle blows.",
                 "Our reporters and photographers travel to more than forty clubs each season, our podcast "
                 "goes out every Monday morning, and our newsletter reaches thirty thousand readers.",
                 "Readers can send us their own photographs from the terraces, and the best of them appear "
                 "in our weekend gallery and in the printed edition on Monday.",
                 "Our archive holds every report we have published since the first edition in 1998, and "
                 "subscribers can search it by club, by player and by season.",
                 "Every Friday our writers pick the matches to watch, and on Sunday night they look back "
                 "at the goals, the saves and the decisions that shaped the weekend.",
                 "Clubs, players and supporters can reach the newsroom by telephone or by email at any "
                 "time of the day, and we answer every letter we receive."]
    header = ["Skip to content", "Search", "Log in", "Subscribe", "Contact", "Transfer news | Sports Daily",
              *MENU[:4], OTHER_STORY[1]]
    story = [*OTHER_STORY[3:],
             ("The striker is expected to wear the number nine shirt, which has been free since the club "
              "captain retired at the end of last season after twelve years at the club."),
             ("Lind said he had supported Rovers as a boy and that signing for them was a dream, and thanked "
              "his family and his coaches at the academy for their help."),
             ("The transfer window closes at the end of the month, and the manager said he hoped to sign a "
              "defender and a goalkeeper before then to strengthen the squad.")]
    article = clean(*promotion, *header, *story)
    assert article.text.split("\n")[-len(story):] == story
    assert not removed_by(article, "appended.story")


def test_a_page_break_with_only_chrome_above_it_does_not_hide_the_next_one():
    # A menu describing each section in a sentence, then the page's header (a copyright line, its
    # <title> line, chrome): a page's edge, but with no article above it. The next page's edge, below
    # the article, is still found.
    menu = []
    for section in ("News", "Sport", "Culture"):
        menu += [section, f"Our {section.lower()} desk brings you the latest stories and analysis from around the "
                          "region every day, with reporters in every town and village we cover.",
                 *[f"{section} {item}" for item in ("today", "archive", "podcast", "newsletter", "events", "letters")]]
    header = ["© 2024 City Courier", "Tram line to reach the northern suburbs | City Courier", "Skip to content",
              "Menu", "Home", "Search", *MENU]
    article = clean(*menu, *header, *BODY, *MORE, *FOOTER, *SECOND_PAGE)
    assert article.text.split("\n")[:len(BODY) + len(MORE)] == [*BODY, *MORE]
    assert removed_by(article, "appended.story") == SECOND_PAGE


def test_a_gallery_with_a_copyright_credit_is_not_a_page_break():
    # A photo credit with a "©" and a gallery's captions ("Stop | Line", like <title> lines) between two
    # parts of the same story: as many marks as a page's edge, but the story below goes on with the
    # article's own words.
    gallery = ["© City Courier / Photo desk", *[f"Tram stop {n} | The northern line" for n in range(1, 12)]]
    article = clean(*FIRST_PAGE[:-4], *gallery, *MORE, *FOOTER)
    assert article.text.split("\n")[-len(MORE):] == MORE
    assert not removed_by(article, "appended.story")


def test_the_next_story_drifts_from_the_article_and_a_section_does_not():
    from newsclean.blocks import Block
    from newsclean.rules.topic import Drift

    paragraphs = [Block(text, i) for i, text in enumerate([*BODY, *MORE, *OTHER_STORY[3:]])]
    drift = Drift(paragraphs, "Tram line to reach the northern suburbs")
    for block in paragraphs[:len(BODY)]:
        drift.add(block)
    same = drift.similarity(paragraphs[len(BODY):len(BODY) + len(MORE)])
    other = drift.similarity(paragraphs[len(BODY) + len(MORE):])
    assert other < 0.1 < same


def test_the_drift_reads_scripts_without_spaces_by_pairs_of_characters():
    from newsclean.blocks import Block
    from newsclean.rules.topic import Drift

    body = ["北京市政府周一宣布，新的地铁线路将在明年通车，连接城市北部的居民区。",
            "市政府表示，地铁线路的建设费用由城市和国家共同承担。",
            "居民区的居民对新的地铁线路表示欢迎，认为通勤时间将大大缩短。"]
    more = ["地铁线路的第二期工程将在三年后开工，延伸到城市北部的机场。"]
    other = ["昨晚的足球比赛中，主队在最后一分钟打进制胜一球，球迷们在球场外庆祝到深夜。"]
    paragraphs = [Block(text, i) for i, text in enumerate([*body, *more, *other])]
    drift = Drift(paragraphs, "新的地铁线路将连接城市北部")
    for block in paragraphs[:len(body)]:
        drift.add(block)
    # read as one "word" per run of characters, nothing would be shared and both would score 0
    assert drift.similarity(paragraphs[-1:]) < 0.02 < 0.05 < drift.similarity(paragraphs[len(body):-1])

# --- boundary --------------------------------------------------------------------------------------

def test_page_furniture_before_and_after_the_article_goes():
    article = clean("Skip to content", "Subscribe | Log in", *BODY, "Terms of use", "Contact the newsroom")
    assert_body(article)


@pytest.mark.parametrize("intro", ["The plan in figures:", "Die wichtigsten Punkte:"])
def test_a_list_its_paragraph_introduces_is_the_articles(intro):
    items = ["Twelve new stops", "Trams every six minutes", "Opening in 2027", "Cost of 240 million euros",
             "Two new depots", "Night service at weekends", "Free for under-12s"]
    lines = [P1, P2, intro, *items, P3]
    assert_body(clean("Home", "Local news", "Sport", *lines, "Terms of use", "Contact us"), lines)


# --- repair, language, options ---------------------------------------------------------------------

def test_a_paragraph_broken_mid_sentence_is_joined():
    article = clean(P1, "Construction is expected to begin next spring and will cost about 240",
                    "million euros, most of it paid for by the regional government.", P3, P4)
    assert_body(article)


@pytest.mark.parametrize("broken, rest", [
    # no sentence ends with "of"
    ("Construction is expected to begin next spring, according to the plans of",
     "Mayor Anna Berg, who wants the first trams to run before the next local elections."),
    # a name cut in two
    ("The works were approved by the mayor, the council and the Social",
     "Democratic Party, which had opposed the plan for almost a decade before the vote."),
    # a figure after a word no sentence ends with
    ("The opening of the first section on Saturday drew a crowd of",
     "15,000 people, who queued for hours to ride the new trams through the city centre."),
    # Hindi, whose line ends in a vowel sign
    ("दिल्ली में मंगलवार को भीषण गर्मी रही और मौसम विभाग ने कहा कि आने वाले",
     "दिनों में तापमान और बढ़ सकता है, इसलिए लोग दोपहर में घरों से बाहर न निकलें।"),
])
def test_a_sentence_broken_where_it_cannot_end_is_joined(
        broken, rest):
    assert_body(clean(P1, broken, rest, P3, P4), [P1, f"{broken} {rest}", P3, P4])


@pytest.mark.parametrize("line", [
    "What the new tram line means for commuters and residents of the northern suburbs",  # a subhead
    "How much the new tram line will cost each household in the region",
    "The line will run every six minutes during the day and every fifteen at night",  # a stop left out
    "Five things the council must fix before the trams reach Zone A",  # "a" ends no sentence, "A" may
])
def test_a_line_without_a_stop_stays_apart_from_the_paragraph_opening_with_a_capital_after_it(line):
    assert_body(clean(P1, P2, line, P3, P4), [P1, P2, line, P3, P4])


@pytest.mark.parametrize("end", ["\u200b", "\u200f", "\u2069", "\u00ad", "”\u200f"])
def test_a_sentence_ending_in_a_mark_that_does_not_show_is_a_sentence(end):
    # Paragraphs short enough that only how they end makes them prose.
    short = ["The council met on Tuesday evening to discuss the budget, and members argued for hours.",
             "Several residents spoke during the public comment period, raising concerns about road repairs.",
             "The mayor said the city would need to make difficult choices, but would protect its services.",
             "A final vote on the budget is expected next month, after a second round of public hearings."]
    article = clean(*(p + end for p in short))
    assert article.text.split("\n") == [p + end for p in short] and article.title is None


@pytest.mark.parametrize("closing", [
    "Der Bürgermeister sagte: „Die ersten Bahnen sollen Ende 2027 fahren, wenn die Arbeiten planmäßig laufen.“",
    "Der Bürgermeister sagte: »Die ersten Bahnen sollen Ende 2027 fahren, wenn die Arbeiten planmäßig laufen.«",
    "市長は記者会見で「最初の電車は年末に走る。」",
])
def test_a_last_paragraph_closed_by_a_quote_mark_of_any_language_stays(closing):
    article = clean(P1, P2, P3, closing)
    assert article.text.split("\n")[-1] == closing


def test_paragraphs_in_a_script_that_closes_sentences_with_no_mark_stay_apart():
    thai = ["สภาเมืองได้อนุมัติงบประมาณสำหรับปีหน้าเมื่อวันอังคารหลังจากการอภิปรายที่ยาวนานจนถึงดึก นายกเทศมนตรีกล่าว",
            "ตามที่นายกเทศมนตรีกล่าว งบประมาณนี้รวมถึงการลงทุนขนาดใหญ่ในระบบขนส่งสาธารณะ การศึกษา และการซ่อมแซมสวนสาธารณะในย่านเก่า",
            "สมาชิกฝ่ายค้านกล่าวว่างบประมาณไม่ได้คำนึงถึงความต้องการของธุรกิจขนาดเล็กในใจกลางเมืองอย่างเพียงพอ"]
    article = clean(*thai)
    assert article.text.split("\n") == thai and article.language == "th"


@pytest.mark.parametrize("text, language", [
    (["Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie in die nördlichen Vororte zu verlängern.",
      "Die Bauarbeiten sollen im kommenden Frühjahr beginnen und rund 240 Millionen Euro kosten."], "de"),
    (["وافق مجلس المدينة يوم الثلاثاء على تمديد خط الترام إلى الضواحي الشمالية بعد نقاش استمر عقداً كاملاً.",
      "ومن المتوقع أن تبدأ أعمال البناء في الربيع المقبل بتكلفة تبلغ نحو مئتين وأربعين مليون يورو."], "ar"),
    (BODY, "en"),
])
def test_language(text, language):
    assert clean(*text).language == language


def test_a_switched_off_rule_keeps_its_lines():
    caption = "Photo: Jane Doe/Example Agency"
    article = clean(P1, caption, P2, P3, P4, options=Options(disabled_rules=frozenset({"caption"})))
    assert caption in article.text.split("\n")


def test_nothing_left_is_not_an_article():
    with pytest.raises(NotAnArticle) as err:
        clean("Home", "News", "Sport", "© 2024 Example Media")
    assert err.value.reason == "empty"


def test_options_built_in_code_read_as_a_setting_is_read():
    assert clean(*BODY, options=Options(languages=frozenset({"EN", " de"}))).language == "en"
    with pytest.raises(ValueError, match="no rule or family of rules named 'captoin'"):
        Options(disabled_rules=frozenset({"captoin"}))


def test_language_outside_the_allowed_ones_is_not_an_article():
    with pytest.raises(NotAnArticle) as err:
        clean(*BODY, options=Options(languages=frozenset({"de", "fr"})))
    assert err.value.reason == "language"


def test_every_rule_name_the_rules_mention_is_a_rule():
    # Rules name others as strings ("caption.repeated"), which a renamed rule would leave pointing nowhere.
    families = {name.split(".")[0] for name in RULE_NAMES}
    mentioned = {node.value for path in Path(rules.__file__).parent.glob("*.py")
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)
                 and re.fullmatch(r"[a-z]+\.[a-z_]+", node.value) and node.value.split(".")[0] in families}
    assert len(mentioned) > 10 and mentioned <= set(RULE_NAMES), sorted(mentioned - set(RULE_NAMES))
