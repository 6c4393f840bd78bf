"""Every number the simulated practice uses, each with where it comes from.

``Source`` holds a citation from ../shared/research/outcome-calibration.md (section and
address), or the word "assumed" with one line of why. Nothing else in sim/ holds a
behavioural number: change one here and every scenario sees it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class P:
    """One parameter: its value, what it means, and its source ("assumed: why" or a citation)."""

    value: object
    meaning: str
    source: str


CURATIONIS = "https://curationis.org.za/index.php/curationis/article/view/1835"
BJGP = "https://bjgp.org/content/71/707/e406"
HEALIO = ("https://cm.healio.com/news/primary-care/20230802/qa-telehealth-should-be-one-part-"
          "of-a-broader-approach-to-managing-behavioral-health")
RURAL_US = "https://pmc.ncbi.nlm.nih.gov/articles/PMC11149957"
SINGAPORE = "https://pmc.ncbi.nlm.nih.gov/articles/PMC1190171"
REVIEW_2018 = "http://ideas.repec.org/a/eee/hepoli/v122y2018i4p412-421.html"
LONDON = "https://psychiatryonline.org/doi/abs/10.1176/appi.ps.201100211"
DUBLIN = "https://link.springer.com/article/10.1007/s11845-017-1710-0"
OHSU = ("https://ohsu.pure.elsevier.com/en/publications/missed-psychiatric-appointmentswho-"
        "returns-and-who-stays-away-2")
FAST_PASS = "https://jmir.org/2024/1/e52071"

# --- forgetting -------------------------------------------------------------------------------
FORGET_MAX = P((0.03, 0.15),
               "per client, uniform range: the chance of forgetting a session when nothing has "
               "reminded them of it for a long time",
               f"assumed, tuned so that with no reminders about 2 in 3 misses are forgetting "
               f"(forgot 69% of reasons, §1 {CURATIONIS}) and no-shows are near the 23% mean "
               f"(§5 {REVIEW_2018})")
FORGET_HOURS = P(60.0, "hours since the last cue at which forgetting reaches 63% of its maximum",
                 f"assumed; direction from lead time: OR 5.45 for >4 weeks vs <1 day (§5 {RURAL_US}), "
                 f"OR 2.38 for >21 vs <7 days (§5 {SINGAPORE})")
READ_CHANCE = P({"sms": 0.9, "email": 0.6, "voice": 0.5},
                "chance a client takes in a message on this channel (a read message is a cue)",
                "assumed: texts are read more than email; a call is often missed. SMS vs phone "
                "RR 0.99 (§3 Cochrane [U]) says text and call work alike once received")
READ_DELAY_MINUTES = P({"sms": 15, "email": 240, "voice": 1},
                       "mean minutes before a message is read (exponential)", "assumed")
HISTORY_OR = P(4.42, "odds multiplier on forgetting for the session after a no-show",
               f"prior no-show OR 4.42 (§5 {RURAL_US}); applied on top of per-client propensities, "
               "so it overstates the within-person effect")
VIDEO_OR = P(1.3, "odds multiplier on forgetting for a session by video",
             f"no-shows 17% telehealth vs 13% in person (§2 {HEALIO}); direction varies by setting")
SESSION_CUE = P(0.8, "chance an attended session cues the next one (\"see you next week\")",
                "assumed: a weekly routine is remembered; no source measures it")

# --- barriers ---------------------------------------------------------------------------------
BARRIER_WEEKLY = P({"schedule": 0.05, "illness": 0.03, "anxiety": 0.02, "cost": 0.012,
                    "transport": 0.012},
                   "weekly chance a barrier of this kind gets in the way of the next session",
                   f"assumed totals; the order follows reasons given: work/family 16.7%, cost 6%, "
                   f"transport 4.8% (§1 {CURATIONIS}); work, forgot and transport most reported "
                   f"(§1 {BJGP}); anxiety has no published share (§1 [U])")
BARRIER_SPREAD = P((0.3, 2.5), "per-client multiplier on the weekly barrier chances (uniform)",
                   "assumed: some clients' lives are more crowded than others'")
RESPONSE_STYLE = P({"early": 0.5, "late": 0.3, "no_show": 0.2},
                   "mean chances that, when a barrier hits, a client cancels at once, cancels "
                   "close to the session, or simply doesn't come (each client draws their own)",
                   "assumed: no source splits cancellations by timing for mental health")
LATE_CANCEL_HOURS_BEFORE = P((2, 20), "a late canceller acts this many hours before (uniform)",
                             "assumed")
SELF_RESCHEDULE = P(0.25, "chance a client with a barrier moves the session themselves when "
                          "they can use links (rather than cancel)",
                    f"assumed; 71.1% of those who missed rescheduled on their own (§1 {OHSU})")

# --- answers to what Attune offers ------------------------------------------------------------
OFFER_ACCEPT = P({"transport": 0.6, "illness": 0.4, "schedule": 0.5, "cost": 0.3, "anxiety": 0.35},
                 "chance a client takes the help offered for this barrier (video for transport or "
                 "illness, an evening time for a clash, the cost text, a warm word for anxiety)",
                 "assumed; telehealth cut gaps in care (adjusted OR 0.45, §2 "
                 "https://doi.org/10.1176%2Fappi.ps.20230181)")
CONFIRM_CHANCE = P(0.55, "chance a client who reads a reminder with links confirms it (never "
                         "when a barrier already stands in the way of that session)",
                   "assumed: two-way vs one-way has no head-to-head study (§3 [U])")
CONFIRM_BY_TEXT = P(0.7, "of those confirming from a text, the share who reply C rather than tap",
                    f"assumed; 73-75% of cancellations came in by SMS (§3 {DUBLIN})")
CHECKIN_ANSWER = P(0.5, "chance a client answers a check-in they read", "assumed")
CHECKIN_SCORES = P({"usual": ("1", "2", "3", "4", "4", "5", "5"),
                    "struggling": ("1", "1", "2", "2", "3", "3", "4")},
                   "the check-in rating drawn (one of seven, evenly), usually and when a barrier "
                   "stands in the way of their next session or they missed their last one",
                   "assumed: a client something stands in the way of rates their week lower; no "
                   "source measures it (as many choices in each, so the random stream is the same)")
CHECKIN_NAMES_BARRIER = P(0.7, "chance a check-in answer names a barrier the client already has",
                          "assumed")
REBOOK_AFTER_FOLLOWUP = P(0.5, "chance a client offered a new time after a missed session books one",
                          f"assumed; 73.3% of self-reschedulers did so within 2 weeks (§1 {OHSU})")
CALL_TO_CANCEL = P(0.6, "chance a client who can't use links phones the practice to cancel "
                        "(else they simply don't come)", "assumed")

# --- the waitlist (issue 11): joining from the appointment page, answering offers ---------------
WAITLIST_JOIN = P(0.3, "share of clients who would take an earlier time: they join from their "
                       "appointment page (\"I'd take an earlier time\") whenever they open it "
                       "and are not on the list",
                  "assumed: no source gives the share who opt in; clients in a weekly series "
                  "have less reason to want an earlier time than people waiting weeks for a "
                  "first visit")
WAITLIST_DAY_KEPT = P(0.8, "chance each weekday stays ticked in a client's choices (at least one "
                           "always does)", "assumed: most clients can manage most days")
WAITLIST_PART_KEPT = P(0.65, "chance each time of day (morning, afternoon, evening) stays ticked "
                             "(at least one always does)",
                       "assumed; work clashes are the commonest barrier (§1 "
                       f"{CURATIONIS}, {BJGP}), so some times don't suit")
WAITLIST_MODE = P({"either": 0.6, "same": 0.3, "tele": 0.1},
                  "what a joining client picks: either mode, the mode of their session, or video",
                  "assumed")
WAITLIST_NOTICE = P({2: 0.1, 6: 0.15, 12: 0.2, 24: 0.4, 48: 0.15},
                    "the notice (hours) a joining client says they need; 24 is the page's default",
                    "assumed: most keep the default")
WAITLIST_CLAIM = P(0.14, "chance a client who reads an offer tries to take it",
                   f"calc: 11% of offers accepted (6,603 of 60,660, §4 {FAST_PASS}) over the "
                   f"share of offers read here (about 0.8); Sutter's 8.3% (§4 "
                   f"https://www.jmir.org/2020/6/e16451) is the lower bound")
WAITLIST_CLAIM_BY_TEXT = P(0.3, "of those taking an offer sent by text, the share who reply Y "
                                "rather than tap the link",
                           "assumed; below CONFIRM_BY_TEXT because the offer text asks for a tap")
WAITLIST_STOP = P(0.03, "chance a client who reads an offer by text and doesn't want it replies N "
                        "(they leave the list)", "assumed")
WAITLIST_ANSWER_MINUTES = P((3, 90), "per client, uniform range: the mean minutes between reading "
                                     "an offer and answering it (exponential around that mean)",
                            "assumed: the claim window is 15 minutes, so slow answerers often "
                            "find the time taken; no source times the answers")

# --- the practice -----------------------------------------------------------------------------
WAKING_HOURS = P((8.5, 20.5), "local hours in which clients act (and phone the practice)",
                 "assumed: inside the practice's default quiet hours (21:00-08:00)")
PRACTICE_PHONE_HOURS = P((9, 18), "practice hours (its own zone) in which it answers calls",
                         "assumed")
MARK_AFTER_MINUTES = P(10, "the therapist marks attendance this long after the session ends",
                       "assumed")
WEEKLY_SHARE = P(0.6, "share of clients seen weekly (the rest fortnightly)", "assumed")
VIDEO_SHARE = P(0.3, "share of series booked by video where offered", "assumed")
CHANNEL_MIX = P({("email", "sms"): 0.55, ("email",): 0.25, ("sms", "voice"): 0.1,
                 ("email", "voice"): 0.1},
                "the channels clients choose", "assumed")
ZONES = P({"America/New_York": 0.6, "America/Chicago": 0.15, "America/Denver": 0.1,
           "America/Los_Angeles": 0.15}, "client time zones", "assumed: a US practice")

# --- cost (US list prices; check the pricing pages before quoting) ------------------------------
PRICE_DYNAMODB_READ = P(0.125e-6, "USD per DynamoDB on-demand read request unit",
                        "assumed: AWS list price, us-east-1 (aws.amazon.com/dynamodb/pricing)")
PRICE_DYNAMODB_WRITE = P(0.625e-6, "USD per DynamoDB on-demand write request unit",
                         "assumed: AWS list price, us-east-1")
PRICE_EMAIL = P(0.10 / 1000, "USD per email (SES)", "assumed: AWS list price")
PRICE_SMS = P(0.00581 + 0.003, "USD per US SMS (SNS price plus a carrier fee)",
              "assumed: AWS list price; carrier fees vary")
PRICE_VOICE = P(0.013, "USD per voice reminder (about a minute)", "assumed: AWS list price")


def all_parameters() -> dict[str, P]:
    """Name -> parameter, for the report's table of assumptions."""
    return {name: value for name, value in globals().items() if isinstance(value, P)}
