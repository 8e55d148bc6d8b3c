"""Generates the bundled synthetic demo corpus in data/sample/ (all four input formats).

Everything written here is invented for the project: outlets, reporters, people, quotes and
stories. The generator is deterministic (one seeded RNG, no clock, no set iteration), so the
committed output can be checked byte for byte against a fresh run. `generate_records(seed)`
returns the articles before rendering so tests can assert on the trends built into them.

Usage:  python data/make_sample.py [--out data/sample] [--seed 2013]

Over 500 lines because it is a data builder: most of its length is the invented outlets,
people, places and story templates, and the trends built into them, in one place so a test can
name what the sample must show.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import html
import io
import json
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

DEFAULT_SEED = 2013
DEFAULT_OUT = Path(__file__).resolve().parent / "sample"
SYNTHETIC_NOTE = (
    "Synthetic demo data for Conflict Trends: every outlet, person, quote and story in it is invented."
)
GENERATOR = "Conflict Trends data/make_sample.py"

# Items per input format, including near-duplicates and exact copies placed in that format.
FORMAT_TOTALS = {"archive": 150, "html": 100, "feed": 100, "csv": 150, "jsonl": 100}
N_MONTHS = 84  # January 2011 .. December 2017

# ---------------------------------------------------------------------------------------------
# Outlets. All names are fictional; domains use the reserved .example TLD.
# style: how the outlet prints a dateline in front of the first paragraph.
OUTLETS = {
    "Levant Ledger": {"domain": "levantledger.example", "style": "comma"},
    "Two Rivers Chronicle": {"domain": "tworiverschronicle.example", "style": "comma"},
    "Euphrates Wire": {"domain": "euphrateswire.example", "style": "wire"},
    "Harbour Gazette": {"domain": "harbourgazette.example", "style": "none"},
    "Crossroads Monitor": {"domain": "crossroadsmonitor.example", "style": "caps"},
    "Cedar Coast Times": {"domain": "cedarcoasttimes.example", "style": "comma"},
    "Orontes Review": {"domain": "orontesreview.example", "style": "paren"},
    "Northern Steppe Bulletin": {"domain": "steppebulletin.example", "style": "caps"},
    "Gulf Lantern": {"domain": "gulflantern.example", "style": "none"},
}
FORMAT_OUTLETS = {
    "archive": ["Levant Ledger", "Two Rivers Chronicle"],
    "html": ["Orontes Review", "Crossroads Monitor", "Levant Ledger"],
    "feed": ["Euphrates Wire", "Harbour Gazette", "Crossroads Monitor", "Cedar Coast Times"],
    "csv": list(OUTLETS),
    "jsonl": list(OUTLETS),
}
FEEDS = {  # file name, outlet, flavour
    "euphrates-wire.rss": ("Euphrates Wire", "rss_content"),
    "harbour-gazette.rss": ("Harbour Gazette", "rss_description"),
    "crossroads-monitor.atom": ("Crossroads Monitor", "atom"),
    "cedar-coast-times.xml": ("Cedar Coast Times", "rss_cdata"),
}

# ---------------------------------------------------------------------------------------------
# Places: Syrian governorates with towns, and neighbouring countries with cities.
GOVERNORATES = {
    "Aleppo": ["Aleppo", "al-Bab", "Azaz", "Manbij", "Jarabulus", "Tal Rifaat", "Afrin"],
    "Idlib": ["Idlib", "Saraqib", "Maarat al-Numan", "Khan Sheikhoun", "Jisr al-Shughur", "Ariha", "Kafr Nabl"],
    "Homs": ["Homs", "Rastan", "Talbiseh", "al-Qusayr", "Palmyra", "Talkalakh"],
    "Hama": ["Hama", "Kafr Zita", "Morek", "Suran", "Salamiyah"],
    "Rif Dimashq": ["Douma", "Zamalka", "Ein Tarma", "Daraya", "Zabadani", "Madaya", "Moadamiyeh", "Harasta"],
    "Damascus": ["Damascus", "Jobar", "Yarmouk"],
    "Daraa": ["Daraa", "Bosra", "Nawa", "Inkhil", "Tafas"],
    "Quneitra": ["Quneitra", "Khan Arnabeh"],
    "As-Suwayda": ["Suwayda", "Shahba"],
    "Latakia": ["Latakia", "Jableh", "Salma"],
    "Tartus": ["Tartus", "Baniyas"],
    "Deir ez-Zor": ["Deir ez-Zor", "Mayadin", "Albu Kamal"],
    "Raqqa": ["Raqqa", "Tabqa", "Tal Abyad"],
    "Al-Hasakah": ["Hasakah", "Qamishli", "Ras al-Ain"],
}
NEIGHBOURS = {
    "Jordan": ["Amman", "Mafraq", "Irbid", "Ramtha", "Zarqa"],
    "Lebanon": ["Beirut", "Tripoli", "Arsal", "Baalbek", "Zahle"],
    "Turkey": ["Gaziantep", "Kilis", "Antakya", "Reyhanli", "Sanliurfa", "Istanbul"],
    "Iraq": ["Erbil", "Dohuk", "Baghdad", "al-Qaim"],
}
CITY_COUNTRY = {c: k for k, cities in NEIGHBOURS.items() for c in cities}
CITY_COUNTRY.update({"Jerusalem": "Israel", "Cairo": "Egypt", "London": "United Kingdom",
                     "Geneva": "Switzerland", "Munich": "Germany", "Vienna": "Austria",
                     "Astana": "Kazakhstan", "Damascus": "Syria", "Aleppo": "Syria", "Qamishli": "Syria"})
DATELINE_CITIES = ["Amman", "Beirut", "Istanbul", "Gaziantep", "Baghdad", "Erbil", "Tripoli",
                   "Jerusalem", "Cairo", "London", "Damascus", "Beirut", "Amman", "Gaziantep"]
ALEPPO_DISTRICTS = ["al-Shaar", "Hanano", "Bustan al-Qasr", "Sakhour", "al-Mashhad", "Sukkari", "al-Ansari"]

# ---------------------------------------------------------------------------------------------
# People: invented names. Ranks go in front of officers' names.
FIRST_NAMES = ["Samir", "Khaled", "Walid", "Yousef", "Omar", "Faris", "Nabil", "Hussam", "Ziad", "Tarek",
               "Bassam", "Maher", "Rami", "Jamal", "Adnan", "Fadi", "Hisham", "Ayman", "Karim", "Munir",
               "Rashid", "Salim", "Ghassan", "Marwan", "Anwar", "Imad", "Wael", "Louay", "Mazen", "Qusai"]
FEMALE_NAMES = ["Rania", "Lina", "Huda", "Salma", "Nour", "Dima", "Maysa", "Reem", "Hala", "Widad"]
FAMILY_NAMES = ["al-Qassab", "Dabbagh", "al-Nuaimi", "Sawwan", "Tarabishi", "Zuhairi", "Haffar", "Kanjo",
                "Mardini", "Shami", "al-Tayyan", "Barakeh", "Hamwi", "al-Jundi", "Kurdi", "Sabbagh",
                "al-Hourani", "Qutaifan", "Rifai", "Droubi", "al-Mallah", "Zaatari", "Jabban", "Halwani",
                "al-Ahmar", "Kayyali", "Nahhas", "Siba'i", "al-Omari", "Bitar", "Jazairi", "Mousalli",
                "al-Masri", "Tellawi", "Hijazi", "Dakkak", "Arnaout", "Kabbani", "Attar", "Sukkar"]
RANKS = ["Colonel", "Lieutenant Colonel", "Brigadier General", "Major General", "Major", "Captain",
         "First Lieutenant", "Warrant Officer"]
REPORTERS = ["Lina Sawwan", "Omar Haffar", "Dima Rifai", "Karim Bitar", "Hala Droubi", "Staff reporter",
             "Maysa Kayyali", "Tarek Nahhas"]
# A few recurring invented figures, so people pages have names that come back.
RECURRING = {
    "negotiator": "Munir al-Tayyan, a spokesman for the opposition negotiating committee",
    "medic": "Dr. Reem Haffar, who runs a field clinic in the area",
    "defector": "Brigadier General Fawwaz Kanjo, who defected last year and now coordinates rebel units from the border",
    "aid": "Widad Mousalli, an official with the Northern Relief Coordination Office",
    "commander": "Lieutenant Colonel Nizar Sawwan, a rebel brigade commander",
}

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WHEN = ["on {weekday}", "late on {weekday}", "early on {weekday}", "overnight", "on {weekday} morning",
        "on {weekday} evening", "on {weekday} afternoon"]
SOURCES = ["activists", "local residents", "opposition activists", "a monitoring group", "medical workers",
           "rescue workers", "local officials", "witnesses", "opposition sources"]
SAID = ["said", "reported", "told {outlet}", "said in a statement", "told reporters", "said by telephone"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh"]
THOUSANDS = ["2,000", "3,500", "5,000", "several thousand", "10,000", "tens of thousands of"]

# ---------------------------------------------------------------------------------------------
# Storylines: how many stories, when they happen (month weights), and their phrase pools.


def _month(y: int, m: int) -> int:
    return (y - 2011) * 12 + (m - 1)


def _weights(spans, points=None) -> list[float]:
    w = [0.0] * N_MONTHS
    for (y1, m1), (y2, m2), value in spans:
        for i in range(_month(y1, m1), _month(y2, m2) + 1):
            w[i] = value
    for (y, m), value in (points or {}).items():
        w[_month(y, m)] = value
    return w


STORY_COUNTS = {"protests": 50, "defection": 100, "chemical": 55, "ceasefire": 50, "aleppo_siege": 45,
                "raqqa": 35, "airstrikes": 70, "displacement": 90, "aid": 40, "fighting": 48}
assert sum(STORY_COUNTS.values()) == 583

MONTH_WEIGHTS = {
    "protests": _weights([((2011, 3), (2011, 12), 6), ((2012, 1), (2012, 6), 1.5), ((2012, 7), (2013, 12), 0.4),
                          ((2014, 1), (2017, 12), 0.05)], {(2011, 3): 8, (2011, 4): 10, (2011, 5): 9, (2011, 7): 9}),
    "defection": _weights([((2011, 6), (2011, 12), 2.5), ((2012, 1), (2012, 12), 5), ((2013, 1), (2013, 12), 1.2),
                           ((2014, 1), (2014, 12), 0.4), ((2015, 1), (2017, 12), 0.12)],
                          {(2011, 6): 1, (2011, 7): 1.5, (2012, 5): 8, (2012, 6): 11, (2012, 7): 13,
                           (2012, 8): 12, (2012, 9): 8}),
    "chemical": _weights([((2012, 12), (2017, 12), 0.35)],
                         {(2013, 3): 2, (2013, 8): 26, (2013, 9): 10, (2013, 10): 3, (2014, 4): 2,
                          (2017, 4): 24, (2017, 5): 5}),
    "ceasefire": _weights([((2012, 3), (2017, 12), 0.4)],
                          {(2012, 4): 3, (2014, 1): 5, (2014, 2): 4, (2015, 10): 2, (2015, 11): 2, (2016, 1): 4,
                           (2016, 2): 18, (2016, 3): 8, (2016, 9): 5, (2016, 12): 3, (2017, 1): 5, (2017, 5): 3}),
    "aleppo_siege": _weights([((2012, 7), (2016, 6), 0.25)],
                             {(2016, 7): 3, (2016, 8): 4, (2016, 9): 6, (2016, 10): 7, (2016, 11): 9, (2016, 12): 12}),
    "raqqa": _weights([((2014, 1), (2016, 12), 0.3), ((2017, 1), (2017, 4), 1)],
                      {(2017, 5): 3, (2017, 6): 8, (2017, 7): 8, (2017, 8): 7, (2017, 9): 6, (2017, 10): 8,
                       (2017, 11): 2, (2017, 12): 0.5}),
    "airstrikes": _weights([((2012, 7), (2015, 9), 0.5), ((2015, 10), (2017, 12), 2.5)], {(2015, 10): 4}),
    "displacement": _weights([((2011, 6), (2011, 12), 0.5), ((2012, 1), (2012, 12), 1.5), ((2013, 1), (2014, 12), 2.5),
                              ((2015, 1), (2015, 12), 3), ((2016, 1), (2016, 12), 2), ((2017, 1), (2017, 12), 1.5)],
                             {(2015, 9): 5}),
    "aid": _weights([((2012, 1), (2017, 12), 1)], {(2016, 1): 4}),
    "fighting": _weights([((2011, 10), (2017, 12), 1)]),
}
TOPIC_TAGS = {"protests": ["protests"], "defection": ["defection"], "chemical": ["chemical_weapons"],
              "ceasefire": ["ceasefire", "negotiations"], "aleppo_siege": ["siege", "humanitarian"],
              "raqqa": ["offensive", "islamic_state"], "airstrikes": ["airstrikes"],
              "displacement": ["displacement", "refugees"], "aid": ["humanitarian"], "fighting": ["clashes"]}

# Each storyline: leads as (lead, titles that fit it); "titles" are headlines that fit any lead.
STORIES: dict[str, dict[str, list]] = {
    "protests": {
        "leads": [
            ("Thousands of demonstrators marched through the centre of {town} {when}, chanting for freedom and the release of detained relatives, {source} {said}.",
             ["Thousands Rally in {town} After Friday Prayers", "Protesters in {town} Demand Release of Detainees"]),
            ("Security forces fired tear gas and live rounds to break up a protest in {town} {when}, wounding at least {n_small} people, according to {source}.",
             ["Security Forces Disperse Protest in {town}", "Protesters Wounded as Police Open Fire in {town}"]),
            ("Mourners carrying the coffin of a young man shot at a checkpoint turned his funeral in {town} into a rally against the government {when}.",
             ["Funeral in {town} Turns Into Anti-Government Rally"]),
            ("Residents of {town} staged a night-time sit-in {when}, the {ordinal} such gathering in {gov} province this month, {source} {said}.",
             ["Night Demonstrations Spread Across {gov}", "Residents of {town} Hold Night Sit-In"]),
            ("Secondary school students in {town} walked out of classes {when} waving flags and calling for reform, before plain-clothes officers moved in.",
             ["Students Join Protests in {town}"]),
        ],
        "titles": ["Protests Continue in {gov}", "Anti-Government Protests Reported in {town}"],
        "details": [
            "Organisers filmed the crowds on mobile phones and posted the footage online within hours.",
            "Shops in the old market stayed shut in what residents described as a general strike.",
            "State television said armed gangs had fired on security personnel, an account the protesters rejected.",
            "Dozens of young men were detained in house-to-house searches after the rally, relatives said.",
            "Women and children joined the march, carrying olive branches and hand-painted banners.",
            "Local coordination committees have begun organising protests across neighbouring villages in {gov}.",
            "Telephone and internet lines in parts of {gov} were cut for several hours, residents said.",
            "Witnesses said snipers had taken up positions on rooftops overlooking the main square.",
            "The crowd dispersed peacefully after sunset, but organisers promised to return the following week.",
            "Pro-government counter-demonstrators gathered in another part of {town}, waving portraits of the president.",
        ],
        "quotes": [
            "\"We came out peacefully and we will keep coming out,\" one protester told {outlet} by telephone.",
            "\"They can arrest us one by one, but they cannot arrest a whole town,\" said {person2}, a teacher from {town}.",
            "\"Nobody here wants weapons; we want our sons back,\" said a mother of two detainees.",
        ],
        "captions": [
            "Demonstrators fill a street in {town} after Friday prayers. (File)",
            "Protesters hold up handwritten banners in {town}, {gov} province. (Staff photo)",
        ],
    },
    "defection": {
        "leads": [
            ("{person} announced his defection from the Syrian army {when}, saying he could no longer serve a government that turns its guns on civilians.",
             ["{rank} Announces Defection in {gov}", "Officer Says He Defected Rather Than Fire on Civilians"]),
            ("At least {n_small} officers and {n_mid} conscripts defected from army positions around {town} {when}, {source} {said}.",
             ["Army Officers Defect Near {town}, Activists Say", "Dozens of Soldiers Defect Around {town}"]),
            ("A {rank_lower} who commanded an artillery battery in {gov} has defected and reached {neighbour_city} with his wife and children, opposition sources said {when}.",
             ["Officer Crosses Into {neighbour_country} After Defecting", "New Wave of Defections Reported Along {neighbour_country} Border"]),
            ("{person}, who served {n_years} years in the armed forces, appeared in an online video {when} holding up his military identity card and declaring that he had switched sides.",
             ["{rank} {surname} Joins Rebel Ranks", "{rank} Announces Defection in Online Video"]),
            ("Soldiers manning a checkpoint outside {town} abandoned their posts {when} and went over to local rebel groups, {source} {said}.",
             ["Soldiers Desert Checkpoint Outside {town}"]),
        ],
        "titles": ["Defections Strain Army Units in {gov}", "Army Defections Reported in {gov}"],
        "details": [
            "He said he had spent weeks arranging his escape with the help of smugglers before crossing the border at night.",
            "The defectors were met by members of a local rebel council who gave them civilian clothes and a place to hide.",
            "Opposition figures say a growing number of mid-ranking officers are leaving, though most senior commanders remain loyal.",
            "The claims could not be independently confirmed, and the defence ministry in Damascus made no comment.",
            "Relatives of defectors who stay behind are often questioned by the security services, according to rights groups.",
            "Analysts say the defections remain too scattered to break the army's chain of command.",
            "Most of those who leave are conscripts from rural families, activists say, while career officers face far greater risks.",
            "The defector said units in {gov} were short of fuel and ammunition and that morale had fallen sharply.",
            "Camps in {neighbour_country} now shelter several hundred defected officers, according to local officials.",
            "{surname} said he hoped his decision would encourage other officers in his brigade to follow.",
            "Defectors are screened by rebel commanders before they are allowed to join operations, an opposition official said.",
        ],
        "quotes": [
            "\"I joined the army to defend my country, not to shell my own neighbours,\" {surname} said.",
            "\"Every week more of them contact us asking for a way out,\" said {recurring_defector}.",
            "\"We were told the protesters were foreign agents. When I saw them, they were boys from my own village,\" {surname} said.",
        ],
        "captions": [
            "A man in military uniform reads a statement in a video posted online. (Screen grab)",
            "Members of a rebel unit stand guard near {town}. (File)",
        ],
    },
    "chemical": {
        "leads": [
            ("Medical workers in {town} said {n_mid} people died and hundreds were treated for breathing difficulties after rockets carrying what they believed was a chemical agent struck residential streets {when}.",
             ["Dozens Reported Killed in Suspected Chemical Attack on {town}", "Rescuers Say Toxic Gas Struck {town} Before Dawn"]),
            ("Residents of {area} described choking, foaming at the mouth and pinpoint pupils among the victims of a suspected chemical attack {when}, {source} {said}.",
             ["Survivors of {town} Attack Recount Morning of Panic", "Doctors in {gov} Describe Symptoms of Gas Exposure"]),
            ("Western governments demanded an independent investigation {when} into reports that poison gas had been used against civilians in {town}, in {gov} province.",
             ["World Powers Demand Inquiry Into Gas Attack Claims", "Inspectors Seek Access to Site of Alleged Gas Attack in {gov}"]),
            ("Field hospitals in {gov} ran out of atropine within hours of a suspected gas attack on {town}, doctors said {when}.",
             ["Field Hospitals in {gov} Run Out of Antidote After Gas Attack"]),
        ],
        "titles": ["Chemical Weapons Claims Mount in {gov}", "Suspected Gas Attack Reported in {gov}"],
        "details": [
            "Videos shared by activists showed rows of bodies wrapped in white sheets with no visible wounds.",
            "The government denied using chemical weapons and blamed rebel fighters for the deaths.",
            "Chemical weapons inspectors have asked for safe passage to collect soil and tissue samples.",
            "Doctors said many of the dead were children who had been sleeping in basements to escape shelling.",
            "Rescue volunteers hosed down survivors in the street to wash the residue from their skin.",
            "Diplomats said the Security Council would hold an emergency session on the reports.",
            "Symptoms described by medics, including convulsions and constricted pupils, are consistent with exposure to {agent}, specialists said.",
            "Several medics who treated the wounded later fell ill themselves, according to a field hospital in {gov}.",
            "Opposition groups urged foreign governments to enforce the red line they had drawn on the use of such weapons.",
        ],
        "quotes": [
            "\"People were falling in the street and we did not understand what was happening,\" said {person2}, a nurse in {town}.",
            "\"We had two hundred patients and masks for twenty,\" said {recurring_medic}.",
        ],
        "captions": [
            "Medics treat people suffering from breathing difficulties in {town}. (File)",
            "Volunteers wash down a child at a field hospital in {gov}. (Staff photo)",
        ],
    },
    "ceasefire": {
        "leads": [
            ("Foreign ministers meeting in {venue} agreed {when} to work toward a cessation of hostilities in Syria within a week, diplomats said.",
             ["Powers Agree in {venue} to Seek Cessation of Hostilities", "Talks in {venue} Aim for Nationwide Ceasefire"]),
            ("Government and opposition delegations held separate sessions with the UN envoy in {venue} {when}, as negotiators struggled to agree on an agenda.",
             ["Talks in {venue} Stall Over Agenda", "Opposition Delegation Meets UN Envoy in {venue}"]),
            ("A ceasefire brokered by Washington and Moscow appeared to be largely holding in {gov} {when}, although {source} reported sporadic shelling near {town}.",
             ["Truce Largely Holds in {gov} Despite Violations", "Residents of {town} Cautiously Welcome Ceasefire"]),
            ("Opposition negotiators in {venue} said {when} they would not discuss a political transition until sieges on rebel-held towns were lifted.",
             ["Opposition Sets Conditions at {venue} Talks", "Envoy Says Negotiations Stall Over Sieges and Prisoners"]),
        ],
        "titles": ["Diplomats Push for Ceasefire in Syria", "Negotiations on Syria Truce Continue"],
        "details": [
            "The truce excludes groups designated as terrorist organisations, a clause opposition figures say will be used to justify continued bombing.",
            "Aid agencies hope a pause in fighting will let convoys reach besieged areas.",
            "Monitors recorded {n_small} violations of the truce in its first {n_small2} days.",
            "Diplomats described the atmosphere in the talks as tense but said neither side had walked out.",
            "The opposition's negotiating committee met late into the night to decide whether to stay in {venue}.",
            "Earlier ceasefires collapsed within weeks amid mutual accusations of violations.",
            "Residents of {town} said they had been able to visit the market for the first time in months.",
            "Both sides traded lists of detainees, but no exchange has yet been agreed.",
        ],
        "quotes": [
            "\"We came to {venue} to stop the killing, not to sign a surrender,\" said {recurring_negotiator}.",
            "\"For two nights we slept without hearing planes. That is already something,\" said {person2}, a resident of {town}.",
        ],
        "captions": [
            "Delegates arrive for a session of talks in {venue}. (File)",
            "Children play in a street in {town} during a lull in fighting. (Staff photo)",
        ],
    },
    "aleppo_siege": {
        "leads": [
            ("Residents of eastern Aleppo said {when} that bread had vanished from bakeries and families were living on rice and lentils as the siege entered its {ordinal} week.",
             ["Food Runs Short in Besieged Eastern Aleppo"]),
            ("Pro-government forces captured the {district} district of Aleppo {when}, pushing rebels into a shrinking pocket in the east of the city, {source} {said}.",
             ["Government Forces Advance Into Rebel-Held Districts of Aleppo", "Pro-Government Forces Take {district} District of Aleppo"]),
            ("The last functioning hospital in the {district} area of eastern Aleppo stopped admitting patients {when} after its generators were hit, medical staff said.",
             ["Hospitals in Eastern Aleppo Knocked Out by Bombardment", "Last Hospital in {district} Stops Admitting Patients"]),
            ("Hundreds of civilians crossed from rebel-held neighbourhoods of Aleppo into government areas {when}, carrying what they could on foot.",
             ["Civilians Flee Eastern Aleppo as Siege Tightens"]),
        ],
        "titles": ["Siege of Eastern Aleppo Tightens", "Eastern Aleppo Under Siege"],
        "details": [
            "The UN estimates that about 250,000 people are trapped in the besieged eastern districts.",
            "Fuel has become so scarce that residents burn furniture and plastic to cook.",
            "Buses were waiting at a crossing point to take fighters and their families to the countryside of {gov_out}.",
            "Doctors said they were operating by torchlight and reusing dressings.",
            "Aid agencies called for a humanitarian pause to evacuate the sick and wounded.",
            "The road that once carried supplies into the eastern districts has been under government control for weeks.",
            "Relatives outside the city said they had lost contact with families in {district}.",
        ],
        "quotes": [
            "\"We have flour for perhaps ten more days, and after that I do not know,\" said {person2}, who runs a bakery in {district}.",
            "\"Every hospital we set up is hit within a month,\" said {recurring_medic}.",
        ],
        "captions": [
            "Residents walk through a damaged street in the {district} district of Aleppo. (File)",
            "Buses wait at a crossing point in Aleppo. (Staff photo)",
        ],
    },
    "raqqa": {
        "leads": [
            ("Fighters of the Kurdish-led Syrian Democratic Forces advanced into the old city of Raqqa {when}, backed by coalition air power, a spokesman said.",
             ["Kurdish-Led Forces Push Into Raqqa's Old City"]),
            ("Thousands of civilians remain trapped in Raqqa as the offensive against Islamic State enters its {ordinal} week, aid agencies warned {when}.",
             ["Civilians Trapped as Battle for Raqqa Intensifies"]),
            ("Families who escaped Raqqa {when} described crossing fields sown with mines and coming under fire from snipers.",
             ["Families Escape Raqqa Across Mined Fields"]),
            ("The US-led coalition said {when} it had carried out {n_mid} strikes near Raqqa and Tabqa over the previous {n_small} days.",
             ["Coalition Strikes Pound Islamic State Positions in Raqqa"]),
        ],
        "titles": ["Fighters Close In on Islamic State Stronghold of Raqqa", "Battle for Raqqa Enters New Phase"],
        "leads_early": [
            ("Residents who fled Raqqa {when} said Islamic State fighters had tightened rules on dress and smoking and were executing suspected informers in public.",
             ["Residents Describe Life Under Islamic State in Raqqa", "Fear and Checkpoints in Raqqa"]),
            ("Islamic State fighters in Raqqa paraded captured weapons through the city {when}, according to {source}.",
             ["Islamic State Parades Captured Weapons in Raqqa"]),
            ("Coalition aircraft struck targets around Raqqa {when}, hitting what a spokesman described as command buildings used by Islamic State.",
             ["Coalition Strikes Hit Targets Around Raqqa"]),
        ],
        "titles_early": ["Fear and Checkpoints in Raqqa"],
        "details": [
            "Islamic State has used Raqqa as the capital of its self-declared caliphate.",
            "Aid groups said water and electricity had been cut across most of the city.",
            "Landmines left behind by retreating fighters have killed civilians trying to return home.",
            "Commanders said the remaining fighters were concentrated around the old mosque and the national hospital.",
            "Camps north of the city are struggling to cope with the number of people arriving.",
            "Kurdish officials said the city would be run by a local civilian council once it was taken.",
        ],
        "quotes": [
            "\"The streets are full of bodies and there is no way to bury them,\" said {person2}, who left Raqqa last week.",
            "\"We move one house at a time because every door may be wired,\" said {recurring_commander}.",
        ],
        "captions": [
            "Fighters take position on the outskirts of Raqqa. (File)",
            "Displaced families rest at a camp north of Raqqa. (Staff photo)",
        ],
    },
    "airstrikes": {
        "leads": [
            ("Air strikes on a crowded market in {town} killed at least {n_mid} people {when}, {source} {said}.",
             ["Air Strikes Hit Market in {town}", "Market Bombing Kills {n_mid} in {town}"]),
            ("Warplanes carried out more than {n_mid} raids on villages in {gov} province {when}, according to a monitoring group.",
             ["Warplanes Target Rebel-Held Areas of {gov}"]),
            ("Helicopters dropped barrel bombs on residential districts of {town} {when}, rescue workers said.",
             ["Barrel Bombs Dropped on {town} Neighbourhoods"]),
            ("A field hospital in {town} was put out of service {when} after an air raid destroyed its operating room, medical staff said.",
             ["Hospital in {town} Damaged in Air Raid"]),
        ],
        "titles": ["Air Raids Continue Over {gov}"],
        "leads_late": [
            ("Russian aircraft struck targets near {town} {when}, the defence ministry in Moscow said, describing them as militant positions.",
             ["Moscow Says Its Aircraft Hit Targets Near {town}"]),
            ("Jets believed to be Russian bombed villages in the {gov} countryside {when}, {source} {said}.",
             ["Russian Jets Strike Villages in {gov}, Monitors Say"]),
        ],
        "details": [
            "Civil defence volunteers dug through rubble with their bare hands in search of survivors.",
            "Residents said they could hear jets circling for hours before the strikes.",
            "The hospital had moved into a basement after being hit twice last year.",
            "Schools in the area have been closed since the raids intensified.",
            "Rescue workers said the death toll was likely to rise as more bodies were recovered.",
            "Farmers in {gov} say they no longer dare to work their fields in daylight.",
        ],
        "details_late": [
            "Moscow says its air campaign targets only terrorist groups; opposition groups say most of the raids have hit rebel-held areas.",
        ],
        "quotes": [
            "\"We pulled out a girl alive after six hours, and then the planes came back,\" said {person2}, a civil defence volunteer.",
            "\"There is no shelter strong enough for these bombs,\" said {recurring_medic}.",
        ],
        "captions": [
            "Civil defence workers search the rubble of a building in {town}. (File)",
            "Smoke rises over {town} after an air raid. (Staff photo)",
        ],
    },
    "displacement": {
        "leads": [
            ("More than {n_thousands} Syrians crossed into {neighbour_country} {when}, fleeing fighting around {town}, border officials said.",
             ["Refugees Cross Into {neighbour_country} as Fighting Spreads", "Families Flee {town} for {neighbour_country}"]),
            ("Aid workers at a camp near {neighbour_city} said {when} they were registering hundreds of new arrivals every day.",
             ["Camp Near {neighbour_city} Struggles With New Arrivals"]),
            ("Families displaced from {town} are sleeping under plastic sheeting in olive groves near the border, {source} {said} {when}.",
             ["Displaced Families Shelter in Olive Groves Near Border"]),
            ("The UN refugee agency appealed {when} for more funding as the number of registered Syrian refugees in {neighbour_country} kept rising.",
             ["UN Appeals for Funds as Refugee Numbers Climb"]),
        ],
        "leads_winter": [
            ("A snowstorm flattened dozens of tents at an informal settlement near {neighbour_city} {when}, leaving families without shelter in freezing temperatures.",
             ["Winter Storm Batters Refugee Tents Near {neighbour_city}"]),
        ],
        "titles": ["Syria's Displaced Face Growing Hardship"],
        "details": [
            "Many arrived with little more than the clothes they wore, having walked for two days.",
            "Host communities in {neighbour_country} complain of rising rents and crowded schools.",
            "Children make up about half of the new arrivals, aid agencies say.",
            "Some families said they had been displaced three or four times inside Syria before deciding to leave.",
            "Officials warned that water supplies at the camp were stretched to the limit.",
            "Smugglers charge families several hundred dollars to cross, according to refugees.",
            "Registration queues at the UN office in {neighbour_city} stretched around the block.",
        ],
        "quotes": [
            "\"We left our house with the bread still in the oven,\" said {woman}, a mother of four from {town}.",
            "\"We are feeding twice as many people as we planned for,\" said {recurring_aid}.",
        ],
        "captions": [
            "Refugees wait at a crossing point near {neighbour_city}. (File)",
            "A family carries belongings past tents near {neighbour_city}. (Staff photo)",
        ],
    },
    "aid": {
        "leads": [
            ("A convoy of {n_mid} trucks carrying flour, medicine and blankets reached {town} {when}, the first delivery in months, aid officials said.",
             ["Aid Convoy Reaches {town} After Months of Siege", "Red Crescent Delivers Food Parcels to {town}"]),
            ("Aid workers warned {when} that residents of {town} were eating grass and boiled leaves after supplies ran out.",
             ["Aid Agencies Warn of Hunger in {town}"]),
            ("A joint UN and Red Crescent convoy was turned back at a checkpoint outside {town} {when} after waiting for nine hours, organisers said.",
             ["Convoy Turned Back at Checkpoint Outside {town}"]),
        ],
        "titles": ["Aid Groups Struggle to Reach {town}"],
        "details": [
            "Surgical supplies were removed from the trucks by security officers before they were allowed through, aid workers said.",
            "Doctors in {town} reported several deaths from malnutrition among the elderly.",
            "A single delivery covers the needs of about a third of the population for one month.",
            "Local councils distribute the parcels according to lists of the most vulnerable families.",
            "Prices of sugar and rice in {town} have risen more than tenfold, residents said.",
        ],
        "quotes": [
            "\"A convoy once every three months is not aid, it is a photo opportunity,\" said {recurring_aid}.",
        ],
        "captions": [
            "Trucks of an aid convoy enter {town}. (File)",
        ],
    },
    "fighting": {
        "leads": [
            ("Rebel fighters and government troops fought for control of the outskirts of {town} {when}, {source} {said}.",
             ["Clashes Erupt on Outskirts of {town}"]),
            ("Opposition fighters said {when} they had overrun an army post on the road between {town} and {town2}.",
             ["Rebels Claim Capture of Army Post in {gov}", "Fighting Cuts Road Between {town} and {town2}"]),
            ("Artillery shells struck a residential neighbourhood of {town} {when}, killing {n_small} people including children, {source} {said}.",
             ["Shelling Kills {n_small} in {town}"]),
            ("Government forces backed by allied militias retook several villages near {town} {when}, state media said.",
             ["Army Retakes Villages Near {town}"]),
        ],
        "titles": ["Fighting Intensifies in {gov}"],
        "details": [
            "The road is a key supply route for the whole of {gov}.",
            "Both sides reported heavy losses, but the figures could not be verified.",
            "Residents said the electricity had been cut for three days.",
            "{person} said his unit had captured two tanks and a stock of ammunition.",
            "Mortar fire continued into the night, according to people in the area.",
        ],
        "quotes": [
            "\"We hold the hill, and whoever holds the hill holds the road,\" said {recurring_commander}.",
        ],
        "captions": [
            "Fighters fire a mortar on the outskirts of {town}. (File)",
        ],
    },
}
CONTEXT = [
    "Access for journalists is restricted, making accounts from either side difficult to verify.",
    "{outlet} could not independently verify the reports.",
    "The government describes its opponents as foreign-backed terrorists.",
    "Rights groups have documented detentions on a large scale since the unrest began.",
    "Neighbouring countries have closed some border crossings to new arrivals.",
    "State media did not report the incident.",
    "Reports from the area are hard to confirm because of restrictions on movement.",
    "International aid groups have repeatedly called on all parties to protect civilians.",
    "The area has changed hands several times since the fighting began.",
    "Residents said prices of basic goods had doubled in recent weeks.",
]
CONTEXT_DATED = [  # mention a year, so never used in articles meant to be undated
    "The unrest began with peaceful protests in March 2011.",
    "The conflict, now in its {war_year} year, has drawn in regional and world powers.",
]
GENERIC_CAPTIONS = ["A general view of {town}, {gov} province. (File)", "A street in {town}. (Staff photo)"]

# Arabic stories (three pages), written for this corpus.
ARABIC = {
    "defection": {
        "title": "انشقاق ضابط برتبة عقيد عن الجيش في {gov_ar}",
        "dateline": "عمّان",
        "paras": [
            "أعلن العقيد {name_ar} انشقاقه عن الجيش السوري، وقال في تسجيل مصور إنه لم يعد قادراً على تنفيذ أوامر بإطلاق النار على المدنيين.",
            "وذكر ناشطون أن الضابط وصل إلى الأراضي الأردنية برفقة عائلته بعد رحلة استمرت يومين عبر طرق ريفية.",
            "ولم يصدر أي تعليق رسمي من وزارة الدفاع في دمشق على هذه الأنباء، كما تعذر التحقق منها بشكل مستقل.",
            "ويقول معارضون إن وتيرة الانشقاقات في صفوف الضباط ارتفعت خلال الأشهر الأخيرة، بينما يؤكد مسؤولون حكوميون أن الجيش متماسك.",
        ],
        "when": ((2012, 6), (2012, 8)),
    },
    "chemical": {
        "title": "مسعفون: عشرات الضحايا في هجوم يشتبه بأنه كيميائي في ريف دمشق",
        "dateline": "بيروت",
        "paras": [
            "قال مسعفون وناشطون إن عشرات الأشخاص لقوا حتفهم وأصيب المئات بحالات اختناق بعد سقوط صواريخ على بلدات في الغوطة الشرقية قبل الفجر.",
            "وأوضح طبيب في مستشفى ميداني أن المصابين عانوا من ضيق في التنفس وتشنجات وتضيق في حدقة العين.",
            "ونفت الحكومة السورية استخدام أي أسلحة كيميائية، فيما طالبت دول غربية بتحقيق دولي عاجل.",
        ],
        "when": ((2013, 8), (2013, 8)),
    },
    "displacement": {
        "title": "آلاف النازحين يفرون من ريف إدلب نحو الحدود التركية",
        "dateline": "غازي عنتاب",
        "paras": [
            "نزح آلاف المدنيين من قرى ريف إدلب الجنوبي خلال الأيام الماضية هرباً من القصف الجوي المتواصل، بحسب منظمات إغاثة محلية.",
            "ويقيم كثير من العائلات في خيام مؤقتة وبين أشجار الزيتون قرب الحدود، وسط نقص في المياه والأغطية.",
            "وقالت عاملة إغاثة إن الأطفال يشكلون نحو نصف الواصلين الجدد، وإن المخيمات القائمة لم تعد تتسع لمزيد من العائلات.",
        ],
        "when": ((2016, 1), (2016, 3)),
    },
}
ARABIC_GOVS = ["درعا", "حمص", "إدلب", "حماة"]
ARABIC_NAMES = ["سامر الحلواني", "خالد الدقاق", "وليد القصاب"]

MARKUP_PROBE = (
    "A message circulating on social media, which began with the characters "
    "<script>alert('x')</script> and announced in **bold** letters that the town had fallen, "
    "was dismissed as a hoax by residents."
)

# ---------------------------------------------------------------------------------------------
# Building records


def _date_in_month(rng: random.Random, month_index: int, day_range: tuple[int, int] | None = None) -> datetime:
    year, month = 2011 + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    lo, hi = day_range or (1, last)
    day = rng.randint(lo, min(hi, last))
    return datetime(year, month, day, rng.randint(6, 22), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50]))


def _person(rng: random.Random) -> tuple[str, str, str]:
    rank = rng.choice(RANKS)
    surname = rng.choice(FAMILY_NAMES)
    return rank, f"{rank} {rng.choice(FIRST_NAMES)} {surname}", surname


SPIKE_TOWNS = ("Khan Sheikhoun", "Zamalka", "Ein Tarma", "Moadamiyeh")  # chemical stories only in their spikes


def _story_context(rng: random.Random, storyline: str, date: datetime, outlet: str) -> dict:
    gov = rng.choice(list(GOVERNORATES))
    town = rng.choice(GOVERNORATES[gov])
    country = rng.choice(list(NEIGHBOURS))
    rank, person, surname = _person(rng)
    ctx = {
        "gov": gov, "town": town, "town2": rng.choice(GOVERNORATES[gov]), "area": town,
        "neighbour_country": country, "neighbour_city": rng.choice(NEIGHBOURS[country]),
        "venue": "Geneva", "district": rng.choice(ALEPPO_DISTRICTS), "gov_out": rng.choice(["Idlib", "western Aleppo"]),
        "rank": rank, "rank_lower": rank.lower(), "person": person, "surname": surname,
        "person2": f"{rng.choice(FIRST_NAMES + FEMALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
        "woman": f"{rng.choice(FEMALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
        "weekday": WEEKDAYS[(date - timedelta(days=1)).weekday()],
        "source": rng.choice(SOURCES), "outlet": outlet,
        "n_small": rng.randint(2, 9), "n_small2": rng.randint(2, 6), "n_mid": rng.randint(12, 60),
        "n_thousands": rng.choice(THOUSANDS), "ordinal": rng.choice(ORDINALS), "n_years": rng.randint(12, 28),
        "agent": "a chlorine-type agent", "war_year": (["first"] + ORDINALS)[min(date.year - 2011, 6)],
    }
    for role, text in RECURRING.items():
        ctx[f"recurring_{role}"] = text
    ctx["when"] = rng.choice(WHEN).format(weekday=ctx["weekday"])
    ctx["said"] = rng.choice(SAID).format(outlet=outlet)
    ym = (date.year, date.month)
    if storyline == "chemical":
        if (2013, 8) <= ym <= (2013, 10):
            ctx.update(gov="Rif Dimashq", town=rng.choice(["Zamalka", "Ein Tarma", "Moadamiyeh", "Kafr Batna"]),
                       area="the Eastern Ghouta", agent="a nerve agent such as sarin")
        elif (2017, 4) <= ym <= (2017, 5):
            ctx.update(gov="Idlib", town="Khan Sheikhoun", area="Khan Sheikhoun in southern Idlib",
                       agent="a nerve agent such as sarin")
        else:
            ctx["gov"] = rng.choice(["Idlib", "Hama", "Rif Dimashq", "Aleppo"])
            towns = [t for t in GOVERNORATES[ctx["gov"]] if t not in SPIKE_TOWNS]
            ctx["town"] = ctx["area"] = rng.choice(towns)
    elif storyline == "ceasefire":
        if ym == (2016, 2):
            ctx["venue"] = rng.choice(["Munich", "Geneva", "Geneva"])
        elif (2015, 10) <= ym <= (2015, 11):
            ctx["venue"] = "Vienna"
        elif date.year == 2017:
            ctx["venue"] = rng.choice(["Astana", "Geneva"])
    elif storyline in ("aleppo_siege",):
        ctx.update(gov="Aleppo", town="Aleppo")
    elif storyline == "raqqa":
        ctx.update(gov="Raqqa", town=rng.choice(["Raqqa", "Raqqa", "Tabqa"]))
    return ctx


def _dateline_city(rng: random.Random, storyline: str, ctx: dict) -> str:
    if storyline == "displacement":
        return ctx["neighbour_city"] if rng.random() < 0.7 else rng.choice(DATELINE_CITIES)
    if storyline == "ceasefire" and rng.random() < 0.6:
        return ctx["venue"]
    if storyline == "raqqa":
        return rng.choice(["Erbil", "Qamishli", "Beirut", "Gaziantep"])
    if storyline == "aleppo_siege":
        return rng.choice(["Gaziantep", "Beirut", "Aleppo", "Istanbul"])
    return rng.choice(DATELINE_CITIES)


def _dateline(outlet: str, city: str) -> tuple[str | None, str]:
    """Return (printed dateline, prefix for the first paragraph) in the outlet's house style."""
    style = OUTLETS[outlet]["style"]
    if style == "comma":
        return f"{city}, {outlet}", f"{city}, {outlet}\u2014"
    if style == "caps":
        return city.upper(), f"{city.upper()} \u2014 "
    if style == "wire":
        printed = f"{city.upper()}, {CITY_COUNTRY.get(city, 'Syria')} ({outlet})"
        return printed, printed + " - "
    if style == "paren":
        return f"{city} ({outlet})", f"{city} ({outlet}) \u2014 "
    return None, ""


def _fill(template: str, ctx: dict) -> str:
    return template.format_map(ctx)


def _compose(rng: random.Random, storyline: str, date: datetime, ctx: dict, dated: bool) -> tuple[str, list[str], str]:
    """Title, body paragraphs (without dateline) and caption for one English story."""
    pools = STORIES[storyline]
    leads, titles, details = list(pools["leads"]), list(pools["titles"]), list(pools["details"])
    if date >= datetime(2015, 10, 1) and "leads_late" in pools:  # Russian air campaign from 30 Sep 2015
        leads = pools["leads_late"] * 2 + leads
        details += pools["details_late"]
    if storyline == "raqqa" and date < datetime(2017, 5, 1):
        leads, titles = pools["leads_early"], pools["titles_early"]
    if date.month in (12, 1, 2):
        leads = leads + pools.get("leads_winter", [])
    lead, own_titles = rng.choice(leads)
    title = _fill(rng.choice(own_titles) if rng.random() < 0.8 else rng.choice(titles), ctx)
    sentences = [_fill(lead, ctx)]
    rng.shuffle(details)
    k = rng.randint(4, 6)
    sentences += [_fill(s, ctx) for s in details[:k]]
    if rng.random() < 0.75:
        sentences.insert(rng.randint(2, len(sentences)), _fill(rng.choice(pools["quotes"]), ctx))
    context = list(CONTEXT) + (CONTEXT_DATED if dated else [])
    rng.shuffle(context)
    n_context = rng.randint(1, 3)
    sentences += [_fill(s, ctx) for s in context[:n_context]]
    spare = [_fill(s, ctx) for s in details[k:] + context[n_context:]]
    while sum(len(s.split()) for s in sentences) < 100 and spare:  # keep every story above ~80 words
        sentences.append(spare.pop(0))
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):  # one or two sentences per paragraph, as in wire copy
        take = 1 if i == 0 or rng.random() < 0.6 else 2
        paragraphs.append(" ".join(sentences[i:i + take]))
        i += take
    while sum(len(p.split()) for p in paragraphs) > 240 and len(paragraphs) > 3:
        paragraphs.pop()
    caption = _fill(rng.choice(pools["captions"] + GENERIC_CAPTIONS), ctx)
    return title, paragraphs, caption


def _typographic(text: str) -> str:
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")


def _plain_quotes(text: str) -> str:
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70]


def _url(outlet: str, date: datetime | None, slug: str, n: int) -> str:
    domain = OUTLETS[outlet]["domain"]
    if date is None:
        return f"https://{domain}/story/{slug}-{n}"
    if outlet in ("Crossroads Monitor", "Orontes Review", "Gulf Lantern"):
        return f"https://{domain}/news/{slug}-{n}"
    return f"https://{domain}/{date:%Y/%m/%d}/{slug}/"


def generate_records(seed: int = DEFAULT_SEED) -> list[dict]:
    """Return every article of the demo corpus as a dict, before rendering.

    Keys: id, format, storyline, topics, outlet, title, caption, dateline, dateline_place, body,
    published (datetime or None), date_channel (text | sidecar | metadata | none), url, author,
    language, places, people, feed, near_dup_of, exact_copy_of, markup_probe.
    """
    rng = random.Random(seed)
    months = list(range(N_MONTHS))
    stories = []
    for storyline, count in STORY_COUNTS.items():
        for _ in range(count):
            m = rng.choices(months, weights=MONTH_WEIGHTS[storyline])[0]
            day_range = None
            if storyline == "chemical" and m == _month(2013, 8):
                day_range = (21, 31)
            elif storyline == "chemical" and m == _month(2017, 4):
                day_range = (4, 30)
            stories.append({"storyline": storyline, "date": _date_in_month(rng, m, day_range)})
    rng.shuffle(stories)

    base_counts = {"archive": 148, "html": 95, "feed": 97, "csv": 147, "jsonl": 96}
    records: list[dict] = []
    pos = 0
    for fmt, n in base_counts.items():
        for story in stories[pos:pos + n]:
            records.append({"format": fmt, **story})
        pos += n

    # Outlets per format; feed quotas leave room for the near-duplicates and the copy added later.
    feed_quota = {"Euphrates Wire": 24, "Harbour Gazette": 24, "Crossroads Monitor": 24, "Cedar Coast Times": 25}
    feed_slots = [o for o, k in feed_quota.items() for _ in range(k)]
    rng.shuffle(feed_slots)
    counters = {fmt: 0 for fmt in base_counts}
    for rec in records:
        fmt = rec["format"]
        k = counters[fmt]
        counters[fmt] += 1
        if fmt == "archive":
            rec["outlet"] = FORMAT_OUTLETS["archive"][0 if k < 98 else 1]
        elif fmt == "feed":
            rec["outlet"] = feed_slots[k]
        elif fmt == "html":
            rec["outlet"] = FORMAT_OUTLETS["html"][k % 3]
        else:
            rec["outlet"] = rng.choice(FORMAT_OUTLETS[fmt])

    # Undated stories: three archive pages, two HTML pages, one feed item, one CSV row, one JSONL row.
    undated_quota = {"archive": 3, "html": 2, "feed": 1, "csv": 1, "jsonl": 1}
    for fmt, k in undated_quota.items():
        candidates = [r for r in records if r["format"] == fmt and (fmt != "feed" or r["outlet"] == "Harbour Gazette")]
        for rec in rng.sample(candidates, k):
            rec["undated"] = True

    for n, rec in enumerate(records):
        dated = not rec.get("undated")
        ctx = _story_context(rng, rec["storyline"], rec["date"], rec["outlet"])
        title, paragraphs, caption = _compose(rng, rec["storyline"], rec["date"], ctx, dated)
        city = _dateline_city(rng, rec["storyline"], ctx)
        printed, prefix = _dateline(rec["outlet"], city)
        paragraphs[0] = prefix + paragraphs[0]
        text = title + "\n" + "\n\n".join(paragraphs)
        rec.update(
            title=title, body="\n\n".join(paragraphs), caption=caption, dateline=printed,
            dateline_place=city if printed else None, published=rec["date"] if dated else None,
            language="en", author=rng.choice(REPORTERS) if rec["format"] != "archive" else None,
            topics=list(TOPIC_TAGS[rec["storyline"]]),
            places=[p for p in dict.fromkeys([ctx["town"], ctx["gov"], ctx["neighbour_city"], city]) if p in text],
            people=[ctx["person"]] if ctx["person"] in text else [],
            near_dup_of=None, exact_copy_of=None, markup_probe=False, seq=n,
        )
        if rec["format"] == "archive":
            rec["body"] = _typographic(rec["body"])  # scraped archive text uses typographic quotes
            rec["caption"] = None if n % 70 == 5 else caption  # a couple of pages without a photo caption
        elif rec["format"] == "html" and rng.random() < 0.3:
            rec["caption"] = None

    records += _arabic_records(rng)
    dated_plain = [r for r in records if r["published"] is not None and r["language"] == "en"]

    # The markup probe: one JSONL article whose body carries script and markdown as literal text.
    probe = rng.choice([r for r in dated_plain if r["format"] == "jsonl"])
    probe["body"] += "\n\n" + MARKUP_PROBE
    probe["markup_probe"] = True

    records += _near_duplicates(rng, [r for r in dated_plain if not r["markup_probe"]])
    records += _exact_copies(rng, [r for r in dated_plain if not r["markup_probe"]])

    # Date channels and URLs.
    for rec in records:
        if rec["format"] == "archive":
            rec["date_channel"] = "none" if rec["published"] is None else rng.choice(["text", "sidecar"])
        else:
            rec["date_channel"] = "none" if rec["published"] is None else "metadata"

    order = {fmt: i for i, fmt in enumerate(FORMAT_TOTALS)}
    records.sort(key=lambda r: (order[r["format"]], r["published"] or datetime.max, r["seq"]))
    for i, rec in enumerate(records, 1):
        rec["id"] = f"demo-{i:04d}"
    by_seq = {r["seq"]: r for r in records}
    for rec in records:
        for key in ("near_dup_of", "exact_copy_of"):
            if rec[key] is not None:
                rec[key] = by_seq[rec[key]]["id"]
    for n, rec in enumerate(records):
        if rec["format"] == "archive":
            rec["url"] = None  # scraped archive pages come without their address
        elif rec.get("url") is None:
            rec["url"] = _url(rec["outlet"], rec["published"], _slug(rec["title"]) or "story", 1000 + n)
    for rec in records:
        if rec["exact_copy_of"] is not None:
            _set_copy_url(rec, next(r for r in records if r["id"] == rec["exact_copy_of"]))
    for rec in records:
        rec["feed"] = next((f for f, (o, _) in FEEDS.items() if o == rec["outlet"]), None) \
            if rec["format"] == "feed" else None
        del rec["date"], rec["seq"]
        rec.pop("undated", None)
    return records


def _arabic_records(rng: random.Random) -> list[dict]:
    out = []
    for k, (storyline, spec) in enumerate(ARABIC.items()):
        (y1, m1), (y2, m2) = spec["when"]
        m = rng.randint(_month(y1, m1), _month(y2, m2))
        date = _date_in_month(rng, m, (21, 31) if storyline == "chemical" else None)
        ctx = {"gov_ar": rng.choice(ARABIC_GOVS), "name_ar": ARABIC_NAMES[k]}
        paras = [p.format_map(ctx) for p in spec["paras"]]
        paras[0] = f"{spec['dateline']} - " + paras[0]
        out.append({
            "format": "html", "storyline": storyline, "date": date, "outlet": "Orontes Review",
            "title": spec["title"].format_map(ctx), "body": "\n\n".join(paras), "caption": None,
            "dateline": spec["dateline"], "dateline_place": {"عمّان": "Amman", "بيروت": "Beirut",
                                                             "غازي عنتاب": "Gaziantep"}[spec["dateline"]],
            "published": date, "language": "ar", "author": "Hala Droubi",
            "topics": list(TOPIC_TAGS[storyline]), "places": [], "people": [],
            "near_dup_of": None, "exact_copy_of": None, "markup_probe": False, "seq": 10_000 + k,
            "url": f"https://orontesreview.example/ar/news/{date:%Y%m%d}-{storyline}-{k + 1}",
        })
    return out


# Small edits a second outlet makes when it runs the same story.
TITLE_EDITS = [("Thousands", "Crowds"), ("Reported", "Said to Be"), ("Says", "Claims"), ("Near", "Close to"),
               ("Rebel-Held", "Opposition-Held"), ("Kill", "Leave Dead"), ("Families", "Civilians")]


def _near_duplicates(rng: random.Random, pool: list[dict]) -> list[dict]:
    plan = ["archive", "archive", "html", "html", "feed:Euphrates Wire", "feed:Harbour Gazette",
            "csv", "csv", "jsonl", "jsonl"]
    out = []
    used: list[int] = []
    for k, target in enumerate(plan):
        fmt, _, feed_outlet = target.partition(":")
        orig = rng.choice([r for r in pool if r["seq"] not in used and r["outlet"] != feed_outlet])
        used.append(orig["seq"])
        outlet = feed_outlet or rng.choice([o for o in FORMAT_OUTLETS[fmt] if o != orig["outlet"]])
        title = orig["title"]
        for old, new in TITLE_EDITS:
            if re.search(rf"\b{old}\b", title):
                title = re.sub(rf"\b{old}\b", new, title, count=1)
                break
        else:
            title = "Syria: " + title
        paragraphs = orig["body"].split("\n\n")
        first = paragraphs[0]
        city = orig["dateline_place"] or "Beirut"
        if orig["dateline"] and first.startswith(orig["dateline"]):  # drop the first outlet's dateline
            first = first[len(orig["dateline"]):].lstrip(" \u2014-")
        printed, prefix = _dateline(outlet, city)
        paragraphs[0] = prefix + first
        if len(paragraphs) > 4:
            paragraphs.pop(rng.randrange(2, len(paragraphs)))
        paragraphs.append(f"Additional reporting by {rng.choice(REPORTERS[:5])}.")
        body = "\n\n".join(paragraphs)
        body = _typographic(body) if fmt == "archive" else _plain_quotes(body)
        out.append({**orig, "format": fmt, "outlet": outlet, "title": title, "body": body, "dateline": printed,
                    "published": orig["published"] + timedelta(hours=rng.randint(1, 20)),
                    "author": None if fmt == "archive" else rng.choice(REPORTERS),
                    "caption": orig["caption"], "near_dup_of": orig["seq"], "exact_copy_of": None,
                    "url": None, "seq": 20_000 + k})
    return out


def _exact_copies(rng: random.Random, pool: list[dict]) -> list[dict]:
    """Four stories reached through two inputs each: identical title and body, different URL or format."""
    plan = [("html", "Crossroads Monitor", "feed", "same_url"),
            ("csv", None, "jsonl", "utm"),
            ("feed", "Euphrates Wire", "jsonl", "http"),
            ("html", "Orontes Review", "csv", "amp")]
    out = []
    used: list[int] = []
    for k, (src_fmt, src_outlet, dst_fmt, how) in enumerate(plan):
        candidates = [r for r in pool if r["format"] == src_fmt
                      and (src_outlet is None or r["outlet"] == src_outlet) and r["seq"] not in used]
        orig = rng.choice(candidates)
        used.append(orig["seq"])
        out.append({**orig, "format": dst_fmt, "exact_copy_of": orig["seq"], "copy_how": how, "url": None,
                    "seq": 30_000 + k})
    return out


def _set_copy_url(copy: dict, orig: dict) -> None:
    how = copy.pop("copy_how")
    url = orig["url"]
    copy["url"] = {"same_url": url, "utm": url + "?utm_source=newsletter&utm_medium=email",
                   "http": url.replace("https://", "http://", 1), "amp": url.rstrip("/") + "/amp"}[how]


# ---------------------------------------------------------------------------------------------
# Rendering


def _banner_case(name: str) -> str:
    return " ".join(w.capitalize() for w in name.split())


def render_archive_page(rec: dict, media_id: str) -> str:
    """One scraped-archive text page: banner, title line, media id, caption three times, body."""
    lines = [f"Middle-east Arab News Opinion | {_banner_case(rec['outlet'])}", "",
             f"{rec['title']} | {rec['outlet'].upper()} English Archive 2005 -2017", "Select Page",
             f"Media ID: {media_id}", "Caption:", ""]
    if rec["caption"]:
        lines += [rec["caption"], "", "", rec["caption"], "", rec["caption"], ""]
    if rec["date_channel"] == "text":
        d = rec["published"]
        lines += [f"Posted on {d:%B} {d.day} {d.year}", ""]
    return "\n".join(lines) + "\n" + rec["body"] + "\n"


NAV = ["World", "Middle East", "Syria", "Opinion", "Business", "Culture", "Sport", "Video"]


def render_html_page(rec: dict, related: list[dict]) -> str:
    """An article page with metadata, the article body and site chrome an extractor should drop."""
    e = html.escape
    ar = rec["language"] == "ar"
    outlet = rec["outlet"]
    domain = OUTLETS[outlet]["domain"]
    meta = ['<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(rec['title'])} | {e(outlet)}</title>",
            f'<meta name="description" content="{e(rec["body"].split(chr(10))[0][:200])}">',
            f'<meta name="generator" content="{e(GENERATOR)}; {e(SYNTHETIC_NOTE)}">']
    if rec["author"]:
        meta.append(f'<meta name="author" content="{e(rec["author"])}">')
    meta += [f'<meta property="og:site_name" content="{e(outlet)}">',
             f'<meta property="og:title" content="{e(rec["title"])}">',
             '<meta property="og:type" content="article">',
             f'<meta property="og:url" content="{e(rec["url"])}">']
    iso = None
    if rec["published"] is not None:
        iso = rec["published"].strftime("%Y-%m-%dT%H:%M:00") + ("Z" if outlet == "Crossroads Monitor" else "+03:00")
        meta.append(f'<meta property="article:published_time" content="{iso}">')
    meta += [f'<link rel="canonical" href="{e(rec["url"])}">', '<link rel="stylesheet" href="/static/site.css">']
    nav_items = ["الرئيسية", "سوريا", "العالم", "رأي"] if ar else NAV
    nav = "\n".join(f'      <li><a href="/{_slug(n) or f"section-{i}"}">{e(n)}</a></li>'
                    for i, n in enumerate(nav_items))
    byline = []
    if rec["author"]:
        byline.append(f'<span class="author">{e(rec["author"])}</span>')
    if iso:
        byline.append(f'<time datetime="{iso}">{rec["published"]:%d %B %Y}</time>')
    article = [f"    <h1>{e(rec['title'])}</h1>"]
    if byline:
        article.append(f'    <p class="byline">{" · ".join(byline)}</p>')
    if rec["caption"]:
        article.append(f'    <figure><img src="/media/{_slug(rec["title"])[:30]}.jpg" alt="">'
                       f"<figcaption>{e(rec['caption'])}</figcaption></figure>")
    article += [f"    <p>{e(p)}</p>" for p in rec["body"].split("\n\n")]
    article.append('    <div class="share">Share: <a href="#">Facebook</a> <a href="#">Twitter</a> '
                   '<a href="#">Email</a></div>')
    rel = "\n".join(f'      <li><a href="{e(r["url"])}">{e(r["title"])}</a></li>' for r in related)
    return f"""<!DOCTYPE html>
<html lang="{rec['language']}"{' dir="rtl"' if ar else ''}>
<head>
  {(chr(10) + '  ').join(meta)}
</head>
<body>
  <header class="site-header">
    <a class="logo" href="https://{domain}/">{e(outlet)}</a>
    <nav><ul>
{nav}
    </ul></nav>
    <div class="ticker">{'عاجل' if ar else 'Breaking'}: <a href="/live">{'تغطية مباشرة' if ar else 'Live updates from the region'}</a></div>
  </header>
  <main>
  <article>
{chr(10).join(article)}
  </article>
  <aside class="related">
    <h2>{'اقرأ أيضاً' if ar else 'Related stories'}</h2>
    <ul>
{rel}
    </ul>
  </aside>
  <div class="newsletter">{'اشترك في النشرة' if ar else 'Sign up for the morning briefing: the five stories you need, every weekday.'}</div>
  </main>
  <footer>
    <p>&copy; {e(outlet)}. <a href="/about">About us</a> | <a href="/privacy">Privacy</a> | <a href="/contact">Contact</a></p>
  </footer>
  <script>window.siteConfig = {{"section": "news", "ads": false}};</script>
</body>
</html>
"""


def _paragraphs_html(body: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))


def _first_sentence(body: str) -> str:
    first = body.split("\n\n")[0]
    m = re.match(r"(.+?[.!?])(\s|$)", first)
    return m.group(1) if m else first


def render_feed(name: str, items: list[dict]) -> str:
    """An RSS 2.0 or Atom document for one outlet's items (newest first, undated last)."""
    outlet, flavour = FEEDS[name]
    domain = OUTLETS[outlet]["domain"]
    x = html.escape
    dated = [r["published"] for r in items if r["published"] is not None]
    latest = max(dated).replace(tzinfo=timezone.utc)
    if flavour == "atom":
        entries = []
        for r in items:
            ts = r["published"].replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
            entries.append(f"""  <entry>
    <title>{x(r['title'])}</title>
    <link rel="alternate" type="text/html" href="{x(r['url'])}"/>
    <id>tag:{domain},2017:{r['id']}</id>
    <published>{ts}</published>
    <updated>{ts}</updated>
    <author><name>{x(r['author'] or outlet)}</name></author>
    <summary>{x(_first_sentence(r['body']))}</summary>
    <content type="html">{x(_paragraphs_html(r['body']))}</content>
  </entry>""")
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>{x(outlet)}: Syria and the region</title>
  <subtitle>{x(SYNTHETIC_NOTE)}</subtitle>
  <link rel="alternate" href="https://{domain}/"/>
  <link rel="self" href="https://{domain}/feeds/syria.atom"/>
  <id>tag:{domain},2017:feed</id>
  <updated>{latest.isoformat().replace('+00:00', 'Z')}</updated>
  <generator>{x(GENERATOR)}</generator>
{chr(10).join(entries)}
</feed>
"""
    out = []
    for r in items:
        parts = [f"      <title>{x(r['title'])}</title>", f"      <link>{x(r['url'])}</link>",
                 f'      <guid isPermaLink="false">{domain}:{r["id"]}</guid>']
        if r["published"] is not None:
            parts.append(f"      <pubDate>{format_datetime(r['published'].replace(tzinfo=timezone.utc))}</pubDate>")
        if r["author"]:
            parts.append(f"      <dc:creator>{x(r['author'])}</dc:creator>")
        if flavour == "rss_content":
            parts.append(f"      <description>{x(_first_sentence(r['body']))}</description>")
            parts.append(f"      <content:encoded><![CDATA[{_paragraphs_html(r['body'])}]]></content:encoded>")
        elif flavour == "rss_cdata":
            parts.append(f"      <description><![CDATA[{_paragraphs_html(r['body'])}]]></description>")
        else:
            parts.append(f"      <description>{x(_paragraphs_html(r['body']))}</description>")
        out.append("    <item>\n" + "\n".join(parts) + "\n    </item>")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{x(outlet)}: Syria</title>
    <link>https://{domain}/</link>
    <description>{x(SYNTHETIC_NOTE)}</description>
    <language>en</language>
    <generator>{x(GENERATOR)}</generator>
    <lastBuildDate>{format_datetime(latest)}</lastBuildDate>
{chr(10).join(out)}
  </channel>
</rss>
"""


def render_csv(rows: list[dict]) -> str:
    """A Media Cloud style export: id, publish_date, title, url, language, media_name, media_url, text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "publish_date", "title", "url", "language", "media_name", "media_url", "text"])
    for k, r in enumerate(rows):
        pub = r["published"].strftime("%Y-%m-%d %H:%M:%S") if r["published"] else ""
        w.writerow([400_100_000 + 37 * k, pub, r["title"], r["url"], r["language"], r["outlet"],
                    f"https://{OUTLETS[r['outlet']]['domain']}/", r["body"]])
    return buf.getvalue()


def render_jsonl(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        pub = None if r["published"] is None else r["published"].strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(json.dumps({"title": r["title"], "body": r["body"], "published": pub, "url": r["url"],
                                 "source": r["outlet"]}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _file_stem(rec: dict, k: int) -> str:
    return f"{k:03d}_{hashlib.sha1(rec['id'].encode() + rec['title'].encode()).hexdigest()[:16]}"


def render_sample(records: list[dict], seed: int) -> dict[str, str]:
    """Map of relative path -> file text for the whole sample folder."""
    rng = random.Random(seed + 1)
    files: dict[str, str] = {}
    sidecar = []
    archive = [r for r in records if r["format"] == "archive"]
    for k, rec in enumerate(archive, 1):
        name = f"archive/{_file_stem(rec, k)}.txt"
        rec["path"] = name
        files[name] = render_archive_page(rec, str(rng.randint(10_000_000, 59_999_999)))
        if rec["date_channel"] == "sidecar":
            sidecar.append((name.split("/", 1)[1], rec["published"].strftime("%Y-%m-%d")))
    files["archive/dates.csv"] = "path,date\n" + "".join(f"{p},{d}\n" for p, d in sorted(sidecar))

    pages = [r for r in records if r["format"] == "html"]
    for k, rec in enumerate(pages, 1):
        slug = _slug(rec["title"]) if rec["language"] == "en" else f"ar-{rec['storyline']}"
        name = f"html/{k:03d}-{slug[:60]}.html"
        rec["path"] = name
        others = [r for r in pages if r is not rec and r["language"] == rec["language"]]
        related = rng.sample(others, min(3, len(others)))
        files[name] = render_html_page(rec, related)

    for name in FEEDS:
        items = [r for r in records if r["format"] == "feed" and r["feed"] == name]
        items.sort(key=lambda r: r["id"])
        items.sort(key=lambda r: r["published"] or datetime.min, reverse=True)  # newest first, undated last
        for rec in items:
            rec["path"] = f"feeds/{name}"
        files[f"feeds/{name}"] = render_feed(name, items)

    table = [r for r in records if r["format"] == "csv"]
    for rec in table:
        rec["path"] = "tables/media-export.csv"
    files["tables/media-export.csv"] = render_csv(table)
    lines = [r for r in records if r["format"] == "jsonl"]
    for rec in lines:
        rec["path"] = "tables/articles.jsonl"
    files["tables/articles.jsonl"] = render_jsonl(lines)
    files["README.md"] = render_readme(records, seed)
    return files


def _count_by_year(records: list[dict], storyline: str) -> str:
    years: dict[int, int] = {}
    for r in records:
        if r["storyline"] == storyline and r["published"] is not None:
            years[r["published"].year] = years.get(r["published"].year, 0) + 1
    return ", ".join(f"{y}: {years[y]}" for y in sorted(years))


def render_readme(records: list[dict], seed: int) -> str:
    n = {fmt: sum(1 for r in records if r["format"] == fmt) for fmt in FORMAT_TOTALS}
    undated = [r for r in records if r["published"] is None]
    near = [r for r in records if r["near_dup_of"]]
    copies = [r for r in records if r["exact_copy_of"]]
    by_id = {r["id"]: r for r in records}
    archive = [r for r in records if r["format"] == "archive"]
    n_text = sum(1 for r in archive if r["date_channel"] == "text")
    n_side = sum(1 for r in archive if r["date_channel"] == "sidecar")
    n_caption = sum(1 for r in archive if not r["caption"])
    probe = next(r for r in records if r["markup_probe"])
    arabic = [r for r in records if r["language"] == "ar"]
    outlets = sorted({r["outlet"] for r in records})
    lines = [
        "# Synthetic demo corpus",
        "",
        f"**{SYNTHETIC_NOTE}** Nothing here is real reporting and nothing was copied from any",
        "outlet: the texts are assembled from phrase pools written for this project. Real place",
        "names are used so that place extraction has something to find; outlets, reporters,",
        "officers, spokespeople and quotes are fictional, and URLs use the reserved `.example` domain.",
        "",
        f"Generated by `python data/make_sample.py --seed {seed}` (deterministic: the test suite",
        "regenerates it and compares byte for byte). Do not edit these files by hand; change the",
        "generator and rerun it.",
        "",
        "## Layout",
        "",
        "| path | format | items |",
        "|---|---|---|",
        f"| `archive/*.txt` | scraped archive text pages, one article each | {n['archive']} |",
        "| `archive/dates.csv` | sidecar publication dates, `path,date` (path relative to this folder) | "
        f"{n_side} rows |",
        f"| `html/*.html` | article pages with metadata and site chrome | {n['html']} ({len(arabic)} in Arabic) |",
        f"| `feeds/*` | RSS 2.0 and Atom feeds, four outlets | {n['feed']} items |",
        f"| `tables/media-export.csv` | Media Cloud style export (`id, publish_date, title, url, language, "
        f"media_name, media_url, text`) | {n['csv']} rows |",
        f"| `tables/articles.jsonl` | one JSON object per line (`title, body, published, url, source`) | {n['jsonl']} rows |",
        "",
        f"{sum(n.values())} items in all; {len(copies)} of them are exact copies of another item, so there are "
        f"{sum(n.values()) - len(copies)} distinct texts. Outlets: {', '.join(outlets)}.",
        "",
        "## Archive pages",
        "",
        "Each page has the banner line, a blank line, `<Title> | <OUTLET> English Archive 2005 -2017`,",
        "`Select Page`, `Media ID: <digits>`, `Caption:`, the photo caption printed three times, then the",
        "body. The first body paragraph starts with a dateline: `Amman, Levant Ledger\u2014<first sentence>`.",
        "Archive text uses typographic apostrophes (\u2019), as scraped pages do.",
        "",
        "Publication dates are recoverable in two ways, so both paths are exercised:",
        "",
        f"* {n_text} pages carry a line `Posted on <Month> <day> <year>` (e.g. `Posted on April 4 2013`)",
        "  just before the dateline paragraph;",
        f"* {n_side} pages have no date in the text; their date is in `archive/dates.csv`.",
        f"* {sum(1 for r in archive if r['date_channel'] == 'none')} pages have neither (undated).",
        "",
        f"{n_caption} pages have an empty `Caption:` (no photo).",
        "",
        "## Dates, undated items and duplicates",
        "",
        "HTML pages give the date in `article:published_time` and a `<time>` element; feeds in",
        "`pubDate` / `published`; the CSV in `publish_date`; the JSONL in `published`. Some URLs also",
        "contain the date. Items without any recoverable date (they must load with no date, never today's):",
        "",
    ]
    lines += [f"* `{r['path']}` ({r['format']}): {r['title']}" for r in undated]
    lines += ["", "Near-duplicates (the same story run by a second outlet with small edits; expect the same",
              "`dup_cluster`):", ""]
    lines += [f"* {r['format']} `{r['path']}` \u2190 {by_id[r['near_dup_of']]['format']} "
              f"`{by_id[r['near_dup_of']]['path']}`: {r['title']}" for r in near]
    lines += ["", "Exact copies (identical title and body reached through a second input or URL; expect one",
              "article with two provenance rows):", ""]
    lines += [f"* {r['format']} `{r['path']}` \u2190 {by_id[r['exact_copy_of']]['format']} "
              f"`{by_id[r['exact_copy_of']]['path']}` ({r['url']})" for r in copies]
    lines += [
        "",
        "## Rendering probe",
        "",
        f"The JSONL article \u201c{probe['title']}\u201d contains `<script>alert('x')</script>` and",
        "`**bold**` as literal text. The dashboard must show both as plain characters.",
        "",
        "## Built-in trends",
        "",
        "Stories are drawn month by month from weights per storyline, so the charts show:",
        "",
        f"* protests concentrated in 2011 (by year: {_count_by_year(records, 'protests')});",
        f"* a wave of defection reports peaking in mid-2012 (by year: {_count_by_year(records, 'defection')});",
        "* chemical-attack coverage spiking in August 2013 (the Eastern Ghouta, Rif Dimashq) and April",
        f"  2017 (Khan Sheikhoun, Idlib) (by year: {_count_by_year(records, 'chemical')});",
        "* ceasefire and negotiation stories clustering in February 2016 (Munich, Geneva), with smaller",
        "  peaks for Geneva in early 2014 and Astana in 2017;",
        "* the siege of eastern Aleppo in the second half of 2016;",
        "* the Raqqa offensive in mid/late 2017;",
        "* air strikes rising after September 2015;",
        "* displacement and refugee stories throughout, highest in 2013\u20132015.",
        "",
        f"Arabic pages: {', '.join('`' + r['path'] + '`' for r in arabic)}.",
        "",
    ]
    return "\n".join(lines)


def write_sample(out_dir: Path | str = DEFAULT_OUT, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the sample folder (replacing files this generator owns) and return items per format."""
    out = Path(out_dir)
    records = generate_records(seed)
    files = render_sample(records, seed)
    for sub in ("archive", "html", "feeds", "tables"):
        folder = out / sub
        if folder.exists():
            for old in folder.iterdir():
                if old.is_file() and old.relative_to(out).as_posix() not in files:
                    old.unlink()
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return {fmt: sum(1 for r in records if r["format"] == fmt) for fmt in FORMAT_TOTALS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate the synthetic demo corpus in data/sample/.",
        epilog="Example:\n  python data/make_sample.py --out data/sample --seed 2013",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/sample)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"RNG seed (default: {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    counts = write_sample(args.out, args.seed)
    total = sum(counts.values())
    print(f"wrote {total} items to {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
