"""Demo data of online learning: modules and lessons with real text for every published
online and blended course, the two sample SCORM packages (1.2 and 2004) as lessons, and a
history of learners' progress, written through the same services as the pages. Meant to
be called by `govtrain seed_demo` after the catalog and the people exist."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from govtrain.accounts.models import Role, User
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, Module
from govtrain.learning.services import authoring, progress, scorm
from govtrain.notifications.services import emails_muted
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.scorm import samples
from govtrain.scorm.models import Package
from govtrain.scorm.services import package_import

SEED = 5
LEARNERS_PER_COURSE = 24
BEAT_SECONDS = 30

# (module title, [(kind, lesson title, minimum seconds, text or link)]) per course, titles
# as (English, Malayalam); a course not listed gets GENERIC. The text is short but real:
# what an employee reads on a phone. A SCORM lesson names the sample package's version.
PAGE, LINK, SCORM = Lesson.Kind.PAGE, Lesson.Kind.LINK, Lesson.Kind.SCORM
Title = tuple[str, str]
Outline = list[tuple[Title, list[tuple[str, Title, int, str]]]]

DIGITAL: Outline = [
    (
        ("Working safely online", "ഓൺലൈനിൽ സുരക്ഷിതമായി"),
        [
            (
                PAGE,
                ("Passwords and two-factor sign-in", "പാസ്‌വേഡും ഇരട്ട സ്ഥിരീകരണവും"),
                180,
                "## Why it matters\n\nAn official account opens files, salaries and citizens' "
                "records. A password that is used elsewhere is only as safe as the weakest "
                "site that stores it.\n\n## What to do\n\n- Use a long pass-phrase for each "
                "official system.\n- Turn on two-factor sign-in wherever the system offers "
                "it.\n- Never share an OTP, even with a colleague or a caller who says they "
                "are from the IT cell.",
            ),
            (
                PAGE,
                ("Spotting a phishing message", "ഫിഷിംഗ് സന്ദേശം തിരിച്ചറിയാൻ"),
                180,
                "A phishing message imitates a known sender to make you click or pay.\n\n"
                "1. Check the sender's address, not just the name shown.\n2. Hover over a "
                'link before you open it: does it go where it says?\n3. Urgency ("your '
                'account will be closed today") is a warning sign.\n\nReport suspicious '
                "mail to your department's IT nodal officer.",
            ),
            (
                LINK,
                ("CERT-In security tips", "സെർട്ട്-ഇൻ സുരക്ഷാ നിർദ്ദേശങ്ങൾ"),
                60,
                "https://www.cert-in.org.in/",
            ),
        ],
    ),
    (
        ("Documents and data", "രേഖകളും വിവരങ്ങളും"),
        [
            (
                PAGE,
                ("Files that others can open", "മറ്റുള്ളവർക്ക് തുറക്കാവുന്ന ഫയലുകൾ"),
                120,
                "Send documents as PDF when the reader only needs to read them, and in an "
                "open format (ODF) when they must edit. Name files so that they sort: "
                "`2026-11-02 Circular on leave.pdf`.",
            ),
            (
                PAGE,
                ("Personal data in your care", "നിങ്ങളുടെ കൈവശമുള്ള വ്യക്തിവിവരങ്ങൾ"),
                180,
                "Offices hold citizens' names, addresses, phone numbers and certificates. "
                "The Digital Personal Data Protection Act, 2023 asks that they are used only "
                "for the purpose they were collected for, and kept safe.\n\n- Do not "
                "forward lists of applicants on WhatsApp or personal e-mail.\n- Lock your "
                "screen when you leave your seat.\n- Collect only what the service needs: "
                "no Aadhaar copy where the rules do not ask for one.",
            ),
        ],
    ),
    (
        ("Learning online", "ഓൺലൈൻ പഠനം"),
        [
            (
                PAGE,
                ("How these courses work", "ഈ കോഴ്സുകൾ എങ്ങനെ"),
                90,
                "Each lesson shows how long it needs. Your time is counted while the lesson "
                "is open on your screen, and your place is saved: you can stop on the office "
                "computer and go on from your phone. When every lesson is done, the course's "
                "hours are added to your training record.",
            ),
            (
                SCORM,
                ("Try an interactive lesson: RTI basics", "ഇന്ററാക്ടീവ് പാഠം: വിവരാവകാശം"),
                120,
                "1.2",
            ),
        ],
    ),
]

RESEARCH: Outline = [
    (
        ("Before the classroom weeks", "ക്ലാസ്മുറി പരിശീലനത്തിന് മുമ്പ്"),
        [
            (
                PAGE,
                ("Framing a research question", "ഗവേഷണ ചോദ്യം രൂപപ്പെടുത്തൽ"),
                300,
                "A good question is **specific**, **answerable with data you can get**, and "
                "**useful to a decision-maker**.\n\n| weak | better |\n| --- | --- |\n| Is "
                "the scheme working? | Did enrolment in the scheme rise in the blocks that "
                "held camps in 2025? |",
            ),
            (
                PAGE,
                ("Sampling in a nutshell", "സാമ്പിളിംഗ് ചുരുക്കത്തിൽ"),
                300,
                "When you cannot ask everyone, ask a random sample. A sample of 400 gives a "
                "margin of error of about 5 percentage points (at 95 % confidence), whatever "
                "the population's size.",
            ),
            (
                PAGE,
                ("Questions that get honest answers", "സത്യസന്ധമായ ഉത്തരം കിട്ടുന്ന ചോദ്യങ്ങൾ"),
                240,
                '- Ask one thing per question: "Was the office clean and quick?" is two '
                'questions.\n- Do not lead: ask "How long did you wait?", not "Was the '
                'wait short?".\n- Offer a "don\'t know" answer.\n- Try the questionnaire '
                "on ten people before the survey, in the language they will answer in.",
            ),
        ],
    ),
]

EOFFICE: Outline = [
    (
        ("Receipts and files", "തപാലും ഫയലുകളും"),
        [
            (
                PAGE,
                ("From paper to e-Office", "കടലാസിൽ നിന്ന് ഇ-ഓഫീസിലേക്ക്"),
                180,
                "e-Office is the file management system of the National Informatics Centre "
                "(NIC), used in the Government Secretariat and in many departments and "
                "offices of Kerala. A file moves from desk to desk on screen, and every "
                "movement is recorded.\n\n## What changes\n\n- **Receipts** (tapal) are "
                "scanned or arrive electronically and get a receipt number.\n- **Files** "
                "keep a note portion and a correspondence portion, as on paper.\n- Anyone "
                "allowed can see where a file is and since when.\n\n## What does not "
                "change\n\nThe office manual and the rules of noting and drafting still "
                "apply: e-Office changes the medium, not the procedure.",
            ),
            (
                PAGE,
                ("Entering a receipt", "തപാൽ രേഖപ്പെടുത്തൽ"),
                180,
                "1. Scan the letter as one PDF and check that every page can be read.\n2. "
                "Enter the sender, the letter's number and date, and a clear subject: "
                '"Leave surrender: Anitha K., Clerk" saves a search later.\n3. Save it: '
                "the receipt gets its number.\n4. Send it to the dealing hand, or attach it "
                "to the file it belongs to.\n\nA receipt that asks for action should not "
                "wait in an inbox: put it in a file as soon as you can.",
            ),
            (LINK, ("About eOffice (NIC)", "ഇ-ഓഫീസ് (എൻ.ഐ.സി.)"), 60, "https://eoffice.gov.in/"),
        ],
    ),
    (
        ("Notes, drafts and approval", "കുറിപ്പ്, കരട്, അംഗീകാരം"),
        [
            (
                PAGE,
                ("Writing a note on screen", "സ്ക്രീനിൽ കുറിപ്പെഴുതൽ"),
                240,
                "Write the note as on paper: the facts, the rule that applies, and what you "
                "propose.\n\n- Refer to receipts and earlier notes by their number, not by "
                '"the letter above".\n- Write in Malayalam, as the official language '
                "policy requires.\n- e-Office records your name, designation and the time; "
                "a digital signature or e-Sign is used where the office has set one up.\n- "
                "Send the file up the channel of submission fixed in your office.",
            ),
            (
                PAGE,
                ("Drafts for approval", "അംഗീകാരത്തിനുള്ള കരടുകൾ"),
                180,
                "A reply, order or circular starts as a **draft for approval** in the file. "
                "The officer may edit it, approve it or return it with remarks; every "
                "version is kept.\n\nOnce approved, the draft is **issued**, by e-mail or "
                "printed and signed, and the issued copy stays in the correspondence.",
            ),
        ],
    ),
]

RTI: Outline = [
    (
        ("The Act in brief", "നിയമം ചുരുക്കത്തിൽ"),
        [
            (
                SCORM,
                ("Right to Information: the basics", "വിവരാവകാശം: അടിസ്ഥാന കാര്യങ്ങൾ"),
                120,
                "2004",
            ),
            (
                PAGE,
                ("Information officers and their assistants", "വിവരാവകാശ ഓഫീസർമാരും സഹായികളും"),
                180,
                "Every public authority designates **State Public Information Officers** "
                "(SPIOs) to deal with requests, and **Assistant Public Information "
                "Officers** (SAPIOs) at sub-divisional or sub-district level to receive them "
                "and pass them on at once (Section 5).\n\n- When a request comes through an "
                "assistant, five days are added to the time for the reply (Section 5(2)).\n"
                "- The PIO may seek any officer's help; that officer is then treated as a "
                "PIO (Section 5(4) and (5)).\n- The names of the PIOs and the appellate "
                "authority are published by the office (Section 4(1)(b)).",
            ),
        ],
    ),
    (
        ("Handling a request", "അപേക്ഷ കൈകാര്യം ചെയ്യൽ"),
        [
            (
                PAGE,
                ("Time limits", "സമയപരിധികൾ"),
                240,
                "| situation | time limit | section |\n| --- | --- | --- |\n| reply to a "
                "request | 30 days from receipt | 7(1) |\n| life or liberty of a person | 48 "
                "hours | 7(1) |\n| received through an assistant PIO | 5 days more | 5(2) |\n"
                "| held by another authority | transfer within 5 days | 6(3) |\n| third-party "
                "information | notice within 5 days, decision within 40 | 11 |\n\nNo reply in "
                "time is a refusal (7(2)), and the information must then be given free of "
                "charge (7(6)). In Kerala the application fee is ₹10; applicants below the "
                "poverty line pay nothing (7(5)).",
            ),
            (
                PAGE,
                ("Exemptions and partial disclosure", "ഒഴിവാക്കലുകളും ഭാഗിക വെളിപ്പെടുത്തലും"),
                240,
                "Refusal is the exception: information may be withheld only under **Sections "
                "8 and 9**, for example what would harm the security or economic interests "
                "of the State (8(1)(a)), what a court has forbidden to be published "
                "(8(1)(b)), or personal information (8(1)(j), as amended by the Digital "
                "Personal Data Protection Act, 2023).\n\nWhere only part of a record is "
                "exempt, give the rest (**Section 10**). A refusal states the reasons, the "
                "appellate authority and the time for appeal (Section 7(8)).",
            ),
        ],
    ),
    (
        ("Appeals and penalties", "അപ്പീലും പിഴയും"),
        [
            (
                PAGE,
                ("First and second appeal", "ഒന്നാം അപ്പീലും രണ്ടാം അപ്പീലും"),
                180,
                "- **First appeal** (Section 19(1)): to the officer senior to the PIO named "
                "as appellate authority, within **30 days** of the reply or of the day it "
                "was due; decided within 30 days, at most 45 (19(6)).\n- **Second appeal** "
                "(Section 19(3)): to the **Kerala State Information Commission**, within "
                "**90 days**.\n- In an appeal, the PIO must show that a refusal was "
                "justified (19(5)).",
            ),
            (
                PAGE,
                ("Penalties", "പിഴ"),
                120,
                "Where a PIO without reasonable cause refused a request, did not reply in "
                "time, or gave false or misleading information, the Commission may impose "
                "**₹250 a day** until the information is given, up to **₹25,000** (Section "
                "20). The PIO is heard first. For persistent default it may also recommend "
                "disciplinary action.",
            ),
            (LINK, ("The Act and guides", "നിയമവും മാർഗ്ഗരേഖകളും"), 60, "https://rti.gov.in/"),
        ],
    ),
]

KSMART: Outline = [
    (
        ("Getting to know K-SMART", "കെ-സ്മാർട്ട് പരിചയം"),
        [
            (
                PAGE,
                ("What K-SMART is", "എന്താണ് കെ-സ്മാർട്ട്"),
                180,
                "**കെ-സ്മാർട്ട്** (Kerala Solutions for Managing Administrative Reformation "
                "and Transformation) തദ്ദേശ സ്വയംഭരണ വകുപ്പിനായി ഇൻഫർമേഷൻ കേരള മിഷൻ "
                "തയ്യാറാക്കിയ സംയോജിത സോഫ്റ്റ്‌വെയറാണ്. 2024 ജനുവരി 1-ന് നഗരസഭകളിലും "
                "കോർപ്പറേഷനുകളിലും തുടങ്ങി; 2025 ഏപ്രിലിൽ എല്ലാ പഞ്ചായത്തുകളിലും എത്തി. "
                "ഗ്രാമപഞ്ചായത്തുകളിലെ ഐ.എൽ.ജി.എം.എസ്. ഇതിലേക്ക് മാറി.\n\n## ജീവനക്കാർക്ക് "
                "എന്തു മാറുന്നു\n\n- പൗരന്മാർ ഓഫീസിൽ വരാതെ ഓൺലൈനായും അക്ഷയ കേന്ദ്രങ്ങൾ "
                "വഴിയും അപേക്ഷിക്കുന്നു.\n- അപേക്ഷ, ഫയൽ നീക്കം, ഫീസ്, സർട്ടിഫിക്കറ്റ് എന്നിവ "
                "ഒരേ സംവിധാനത്തിൽ.\n- അപേക്ഷയുടെ സ്ഥിതി അപേക്ഷകന് ഓൺലൈനായി അറിയാം; "
                "കൈപ്പറ്റ് രസീത് വാട്ട്‌സ്ആപ്പിലും ഇ-മെയിലിലും എത്തും.",
            ),
            (
                PAGE,
                ("Your login and role", "നിങ്ങളുടെ ലോഗിനും റോളും"),
                180,
                "- ഓരോ ജീവനക്കാരനും സ്വന്തം ലോഗിൻ. പാസ്‌വേഡും OTP-യും ആരുമായും, സഹപ്രവർത്തകരുമായി "
                "പോലും, പങ്കിടരുത്.\n- നിങ്ങൾക്ക് നൽകിയ **റോൾ** അനുസരിച്ചാണ് ഏതു ഫയൽ കാണാം, "
                "എന്തു ചെയ്യാം എന്നു തീരുമാനിക്കുന്നത്.\n- സ്ഥലംമാറ്റം കിട്ടിയാൽ പഴയ ഓഫീസിലെ "
                "റോൾ മാറ്റാൻ സെക്രട്ടറിയെ അറിയിക്കുക; അല്ലെങ്കിൽ ഫയലുകൾ നിങ്ങളുടെ പേരിൽ "
                "കെട്ടിക്കിടക്കും.",
            ),
            (
                LINK,
                ("The K-SMART portal", "കെ-സ്മാർട്ട് പോർട്ടൽ"),
                60,
                "https://ksmart.lsgkerala.gov.in/",
            ),
        ],
    ),
    (
        ("Services to citizens", "പൗരന്മാർക്കുള്ള സേവനങ്ങൾ"),
        [
            (
                PAGE,
                ("Births, deaths and marriages", "ജനനം, മരണം, വിവാഹം"),
                240,
                "- ജനനവും മരണവും **21 ദിവസത്തിനകം** രജിസ്റ്റർ ചെയ്യണം (ജനന-മരണ രജിസ്ട്രേഷൻ "
                "നിയമം, 1969). ആശുപത്രിയിൽ നടന്നവ ആശുപത്രി അധികൃതർ തന്നെ അറിയിക്കണം.\n- "
                "വൈകിയ രജിസ്ട്രേഷന് നിയമം പറയുന്ന ഫീസും അനുമതിയും വേണം.\n- വിവാഹ രജിസ്ട്രേഷൻ "
                "(കേരള വിവാഹ രജിസ്ട്രേഷൻ (പൊതു) ചട്ടങ്ങൾ, 2008) വീഡിയോ കെ.വൈ.സി. വഴി "
                "ഓൺലൈനായി ചെയ്യാം; വിദേശത്തുള്ള ദമ്പതികൾക്കും.\n- സർട്ടിഫിക്കറ്റുകൾ ഡിജിറ്റൽ "
                "ഒപ്പോടെ; പൗരന് സ്വയം ഡൗൺലോഡ് ചെയ്യാം.",
            ),
            (
                PAGE,
                ("Property tax and trade licences", "വസ്തുനികുതിയും വ്യാപാര ലൈസൻസും"),
                240,
                "- **വസ്തുനികുതി**: കെട്ടിട ഉടമയ്ക്ക് നികുതി ഓൺലൈനായി കാണാനും അടയ്ക്കാനും "
                "കഴിയും; രസീത് ഉടനെ ലഭിക്കും. പുതിയ നിർമ്മാണം, ഉടമസ്ഥാവകാശ മാറ്റം തുടങ്ങിയവ "
                "ഫയലായി നിങ്ങളുടെ അടുക്കൽ എത്തും.\n- **വ്യാപാര ലൈസൻസ്**: അപേക്ഷയും "
                "പുതുക്കലും ഫീസ് അടവും ഓൺലൈനിൽ.\n- അപേക്ഷയിൽ കുറവുണ്ടെങ്കിൽ എന്തു വേണമെന്ന് "
                'വ്യക്തമായി എഴുതി തിരിച്ചയയ്ക്കുക; "രേഖകൾ അപൂർണ്ണം" എന്നു മാത്രം '
                "എഴുതരുത്.",
            ),
            (
                PAGE,
                ("Building permits", "കെട്ടിട നിർമ്മാണ പെർമിറ്റ്"),
                180,
                "കെട്ടിട നിർമ്മാണ ചട്ടങ്ങൾ (നഗരസഭകളിൽ KMBR, പഞ്ചായത്തുകളിൽ KPBR) അനുസരിച്ചുള്ള "
                "പ്ലാൻ രജിസ്റ്റർ ചെയ്ത ലൈസൻസി (എഞ്ചിനീയർ, ആർക്കിടെക്ട്) വഴി ഓൺലൈനായി "
                "സമർപ്പിക്കുന്നു. സ്ഥലപരിശോധനയുടെ റിപ്പോർട്ടും ഫയലിൽ തന്നെ ചേർക്കുക; "
                "ചട്ടങ്ങൾ അനുവദിക്കുന്ന ചെറിയ കെട്ടിടങ്ങൾക്ക് സ്വയം സാക്ഷ്യപ്പെടുത്തലിൽ "
                "പെർമിറ്റ് ലഭിക്കും.",
            ),
            (
                PAGE,
                ("Time limits for every service", "ഓരോ സേവനത്തിനും സമയപരിധി"),
                150,
                "കേരള സേവനാവകാശ നിയമം, 2012 പ്രകാരം ഓരോ സേവനത്തിനും നിശ്ചിത സമയപരിധിയുണ്ട്; "
                "ഓഫീസ് അത് പൗരാവകാശ രേഖയിൽ പ്രസിദ്ധീകരിക്കണം. കാരണമില്ലാതെ വൈകിയാൽ "
                "ഉദ്യോഗസ്ഥന് പിഴ ചുമത്താം.\n\nനിങ്ങളുടെ ലോഗിനിൽ കെട്ടിക്കിടക്കുന്ന ഫയലുകൾ "
                "ദിവസവും നോക്കുക; സമയപരിധി അടുത്തവ ആദ്യം തീർക്കുക.",
            ),
        ],
    ),
]

DISASTER: Outline = [
    (
        ("Kerala's hazards", "കേരളത്തിലെ ദുരന്തസാധ്യതകൾ"),
        [
            (
                PAGE,
                ("Why preparedness matters here", "തയ്യാറെടുപ്പ് എന്തിന്"),
                180,
                "Kerala faces floods and landslides in both monsoons, coastal erosion and "
                "high waves, lightning, summer drought and epidemics. The floods of August "
                "2018 sent over 14 lakh people to relief camps; the landslides at Puthumala "
                "and Kavalappara (2019) and at Mundakkai and Chooralmala in Wayanad (30 July "
                "2024) showed how fast a hillside fails after days of heavy rain.\n\n## Who "
                "does what\n\n- The **Kerala State Disaster Management Authority** (KSDMA), "
                "chaired by the Chief Minister, plans and warns.\n- The **District Disaster "
                "Management Authority**, chaired by the District Collector, runs the "
                "response through the district emergency operations centre.\n- Taluk and "
                "village offices and local bodies open relief camps and count the affected.",
            ),
            (
                PAGE,
                ("Reading a warning", "മുന്നറിയിപ്പുകൾ മനസ്സിലാക്കാൻ"),
                180,
                "The India Meteorological Department warns by district, in colours:\n\n| "
                "colour | means | what to do |\n| --- | --- | --- |\n| green | no warning | "
                "usual work |\n| yellow | be aware | watch for updates |\n| orange | be "
                "prepared | check plans, stocks and phone lists |\n| red | take action | "
                "evacuate where ordered; camps open |\n\nTrust only official sources: a "
                "forwarded rumour in a disaster causes panic.",
            ),
            (
                LINK,
                ("Kerala State Disaster Management Authority", "സംസ്ഥാന ദുരന്ത നിവാരണ അതോറിറ്റി"),
                60,
                "https://sdma.kerala.gov.in/",
            ),
        ],
    ),
    (
        ("Being ready", "തയ്യാറായിരിക്കാൻ"),
        [
            (
                PAGE,
                ("An emergency kit", "എമർജൻസി കിറ്റ്"),
                150,
                "Keep one bag ready to carry: drinking water, dry food for three days, a "
                "torch and spare batteries, a whistle, a first-aid kit and your regular "
                "medicines, copies of important documents in a waterproof cover, a charged "
                "power bank, some cash, and important phone numbers written on paper.\n\n"
                "Check it before every monsoon.",
            ),
            (
                PAGE,
                ("The first hours: your part as an employee", "ആദ്യ മണിക്കൂറുകളിൽ"),
                240,
                "- Know your office's emergency plan: the exits, the assembly point, who "
                "calls whom.\n- Staff posted to a **relief camp** register every family on "
                "arrival, keep safe spaces for women, children, older people and persons "
                "with disabilities, and report the numbers to the taluk control room at the "
                "times fixed.\n- Make sure your own family is safe, and tell your office how "
                "to reach you.\n\n## Numbers to remember\n\n- **112**: police, fire and "
                "ambulance\n- **1077**: the district emergency operations centre\n- "
                "**1070**: the state emergency operations centre",
            ),
        ],
    ),
]

POSH: Outline = [
    (
        ("The law in brief", "നിയമം ചുരുക്കത്തിൽ"),
        [
            (
                PAGE,
                ("What counts as sexual harassment", "ലൈംഗിക പീഡനം എന്നാൽ"),
                180,
                "The **Sexual Harassment of Women at Workplace (Prevention, Prohibition and "
                "Redressal) Act, 2013** builds on the Supreme Court's Vishaka guidelines "
                "(1997). Sexual harassment is unwelcome conduct such as (Section 2(n)):\n\n"
                "- physical contact and advances;\n- a demand or request for sexual favours;"
                "\n- sexually coloured remarks;\n- showing pornography;\n- any other "
                "unwelcome physical, verbal or non-verbal conduct of a sexual nature.\n\n"
                "Promises or threats about one's job, or a hostile work environment linked "
                "to such conduct, are harassment too (Section 3(2)). The workplace includes "
                "any place visited for work, and the transport to it.",
            ),
            (
                PAGE,
                ("The Internal Committee", "ഇന്റേണൽ കമ്മിറ്റി"),
                180,
                "Every office with **ten or more employees** has an **Internal Committee** "
                "(Section 4):\n\n- presided over by a woman employed at a senior level;\n- "
                "at least two employees committed to the cause of women, or with legal "
                "knowledge or social-work experience;\n- one member from an organisation "
                "committed to the cause of women;\n- at least **half of its members "
                "women**.\n\nMembers serve up to three years. Where an office has fewer than "
                "ten employees, or the complaint is against the employer, it goes to the "
                "district's **Local Committee** (Section 6).",
            ),
        ],
    ),
    (
        ("Complaint and inquiry", "പരാതിയും അന്വേഷണവും"),
        [
            (
                PAGE,
                ("Making a complaint", "പരാതി നൽകൽ"),
                180,
                "- A written complaint goes to the Internal Committee within **three "
                "months** of the incident (or the last of a series); the Committee may allow "
                "three months more for good reason (Section 9). A member helps a woman who "
                "cannot write it.\n- Only at her request, the Committee may first try "
                "**conciliation**; money cannot be its basis (Section 10).\n- The inquiry "
                "ends within **90 days** (Section 11(4)); the report reaches the employer "
                "within 10 days and is acted on within 60 (Section 13).\n- The identity of "
                "the parties and the proceedings stay **confidential** (Section 16).",
            ),
            (
                PAGE,
                ("If you witness harassment", "നിങ്ങൾ സാക്ഷിയാണെങ്കിൽ"),
                120,
                "- Do not look away: speak to the woman affected and tell her where to "
                "turn.\n- Write down what you saw, when and where, while you remember it.\n"
                "- If she cannot complain herself, a relative, friend or co-worker may, as "
                "the rules allow (Section 9(2)).\n- Stand by the complainant and the "
                "witnesses; tell the Committee of any victimisation.",
            ),
            (
                LINK,
                ("SHe-Box: complaints online", "ഷീ-ബോക്സ്: ഓൺലൈൻ പരാതി"),
                60,
                "https://shebox.wcd.gov.in/",
            ),
        ],
    ),
]

GENERIC: Outline = [
    (
        ("Introduction", "ആമുഖം"),
        [
            (
                PAGE,
                ("About this course", "ഈ കോഴ്സിനെക്കുറിച്ച്"),
                120,
                "This course is self-paced. Each lesson shows how long it needs; your "
                "progress is saved as you go, and you can resume from any device.",
            ),
        ],
    ),
]

OUTLINES: dict[str, Outline] = {
    "NOP-DIGI": DIGITAL,
    "IMG-RM": RESEARCH,
    "IMG-EFILE": EOFFICE,
    "IMG-RTI-OL": RTI,
    "KILA-KSMART-OL": KSMART,
    "ILDM-DPREP": DISASTER,
    "IMG-POSH": POSH,
}
# The demo learner is half-way through one online course and has finished another.
LEARNER_HALF_WAY, LEARNER_DONE = "ILDM-DPREP", "IMG-POSH"


@dataclass
class Summary:
    courses: int = 0
    lessons: int = 0
    enrolled: int = 0
    completed: int = 0


def _author(course: Course) -> User:
    """A coordinator of the course's provider, else a state administrator."""
    user = (
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            role_assignments__provider_id=course.provider_id,
        )
        .order_by("pk")
        .first()
    )
    return user or User.objects.filter(role_assignments__role=Role.STATE_ADMIN).order_by("pk")[0]


def _package(course: Course, version: str, by: User) -> Package:
    existing = Package.objects.filter(provider=course.provider, version=version).first()
    if existing is not None:
        return existing
    return package_import(
        upload=io.BytesIO(samples.build(version)), by=by, provider=course.provider
    )


def _build_outline(course: Course, by: User, summary: Summary) -> None:
    for (title_en, title_ml), lessons in OUTLINES.get(course.code, GENERIC):
        module = authoring.module_create(course=course, title_en=title_en, title_ml=title_ml, by=by)
        for kind, (lesson_en, lesson_ml), seconds, content in lessons:
            data = authoring.LessonInput(
                kind=kind, title_en=lesson_en, title_ml=lesson_ml, min_seconds=seconds
            )
            if kind == PAGE:
                data.body_source = content
            elif kind == LINK:
                data.link_url = content
            else:
                data.package_id = _package(course, content, by).pk
            authoring.lesson_save(module=module, data=data, by=by)
            summary.lessons += 1


def _play(enrolment: Enrolment, lesson: Lesson, now: dt.datetime) -> None:
    """The player's last commit of a package played to the end (docs/scorm.md)."""
    attempt = scorm.scorm_attempt_launch(enrolment=enrolment, lesson=lesson)
    minutes = lesson.min_seconds // 60 + 1
    cmi_2004 = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "0.67", "raw": "2", "min": "0", "max": "3"},
        "location": "page-2",
        "suspend_data": "page=2",
        "session_time": f"PT{minutes}M",
        "total_time": f"PT{minutes}M",
        "exit": "normal",
    }
    cmi_12 = {
        "core": {
            "lesson_status": "passed",
            "lesson_location": "page-2",
            "score": {"raw": "67", "min": "0", "max": "100"},
            "session_time": f"00:{minutes:02d}:00",
            "total_time": f"00:{minutes:02d}:00",
            "exit": "",
        },
        "suspend_data": "page=2",
    }
    version = lesson.package.version if lesson.package else "2004"
    body = {
        "attempt": str(attempt.pk),
        "launch": attempt.launch,
        "sequence": 1,
        "finished": True,
        "cmi": cmi_12 if version == "1.2" else cmi_2004,
    }
    scorm.scorm_commit(
        enrolment=enrolment, lesson=lesson, body=body, by=enrolment.employee.user, now=now
    )


def _take(enrolment: Enrolment, lessons: list[Lesson], start: dt.datetime) -> dt.datetime:
    """The learner reads `lessons` one after another from `start`, each for its minimum
    time plus a little. The page beats every 15 seconds; the demo beats every 30, which
    the server credits in full (up to 60 s a beat), to write half as often."""
    now = start
    for lesson in lessons:
        row = progress.lesson_open(enrolment=enrolment, lesson=lesson, now=now)
        for _ in range(lesson.min_seconds // BEAT_SECONDS + 2):
            now += dt.timedelta(seconds=BEAT_SECONDS)
            progress.heartbeat_record(progress=row, now=now)
        if lesson.kind == Lesson.Kind.SCORM:
            _play(enrolment, lesson, now)
        else:
            progress.lesson_complete(progress=row, by=enrolment.employee.user, now=now)
        now += dt.timedelta(minutes=2)
    return now


def _lessons(course: Course) -> list[Lesson]:
    return [
        lesson
        for module in Module.objects.filter(course=course).order_by("position")
        for lesson in module.lessons.order_by("position")
    ]


@transaction.atomic
def build_online_learning(*, learner: Employee | None = None, seed: int = SEED) -> Summary:
    """Outlines for the published online and blended courses that have none, and a few
    dozen employees' progress in the online ones (some finished, some half-way). The demo
    `learner` is left half-way through one online course (LEARNER_HALF_WAY, else the
    first), to resume, and has finished another (LEARNER_DONE) a month ago."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    summary = Summary()
    courses = list(
        Course.objects.filter(
            is_published=True, modality__in=[Course.Modality.ONLINE, Course.Modality.BLENDED]
        )
        .select_related("provider")
        .order_by("code")
    )
    built: list[Course] = []
    with emails_muted():
        for course in courses:
            if Module.objects.filter(course=course).exists():
                continue  # built before: running the demo again doubles nothing
            _build_outline(course, _author(course), summary)
            summary.courses += 1
            built.append(course)
        staff = list(
            Employee.objects.filter(status=Employee.Status.ACTIVE)
            .exclude(user=None)
            .exclude(pk__in=[learner.pk] if learner else [])
            .select_related("user")
            .order_by("pen")[:500]
        )
        online = [c for c in built if c.modality == Course.Modality.ONLINE]
        # Each employee's clock only runs forward (docs/learning.md: time already credited
        # is never credited again), so the sittings are planned first and then taken in
        # the order of their dates, at most one a day for each employee.
        sittings: list[tuple[dt.datetime, int, Employee, Course, list[Lesson]]] = []
        busy: dict[int, set[int]] = {}  # the days each employee studied on
        now = timezone.now()
        for course in online:
            lessons = _lessons(course)
            for employee in rng.sample(staff, min(len(staff), LEARNERS_PER_COURSE)):
                days = busy.setdefault(employee.pk, set())
                day = rng.randint(2, 120)
                while day in days:
                    day = day + 1 if day < 120 else 2
                days.add(day)
                # About half finish the course; the others stop somewhere on the way.
                finish = rng.random() < 0.5
                taken = lessons if finish else lessons[: rng.randint(1, len(lessons))]
                sittings.append(
                    (now - dt.timedelta(days=day), len(sittings), employee, course, taken)
                )
        if learner is not None and online:
            half = next((c for c in online if c.code == LEARNER_HALF_WAY), online[0])
            done = next((c for c in online if c.code == LEARNER_DONE and c != half), None)
            if done is not None:
                when = now - dt.timedelta(days=30)
                sittings.append((when, len(sittings), learner, done, _lessons(done)))
            when = now - dt.timedelta(days=3)
            sittings.append((when, len(sittings), learner, half, _lessons(half)[:2]))
        for start, _n, employee, course, lessons in sorted(sittings, key=lambda s: s[:2]):
            if employee.user is None:
                continue
            enrolment = progress.course_enrol(employee=employee, course=course, by=employee.user)
            _take(enrolment, lessons, start)
            if employee != learner:
                enrolment.refresh_from_db()
                summary.enrolled += 1
                summary.completed += enrolment.status == Enrolment.Status.COMPLETED
    return summary
