//! Word lists for the synthetic archive, written for Dateline: invented places,
//! people and organisations, and the nouns and verbs news copy is made of.

/// First halves of invented town names.
pub const PLACE_HEADS: &[&str] = &[
    "Ash", "Bram", "Carr", "Dun", "Ell", "Fen", "Gold", "Hal", "Kin", "Lang", "Mar", "Nor", "Orm",
    "Pen", "Red", "Sal", "Thorn", "Wick", "Brack", "Cold", "East", "High", "Lower", "Kess", "Tarn",
    "Vell", "Yar", "Zell", "Oster", "Mill",
];

/// Second halves of invented town names.
pub const PLACE_TAILS: &[&str] = &[
    "ford", "bury", "mouth", "field", "ton", "wick", "haven", "stead", "by", "port", "bridge",
    "dale", "moor", "holm", "ley", "gate", "water", "combe",
];

pub const FIRST_NAMES: &[&str] = &[
    "Amara", "Ben", "Chidi", "Dana", "Elif", "Farah", "Gareth", "Hana", "Ines", "Jonas", "Kofi",
    "Leila", "Marek", "Nadia", "Owen", "Priya", "Quentin", "Rosa", "Sami", "Tomas", "Ulla",
    "Vikram", "Wen", "Yusuf", "Zofia", "Aled", "Bea", "Ciaran", "Dilnoza", "Esme",
];

pub const SURNAMES: &[&str] = &[
    "Achterberg",
    "Banerjee",
    "Castell",
    "Doyle",
    "Eze",
    "Fairbairn",
    "Grady",
    "Haddad",
    "Ilves",
    "Jovanovic",
    "Kamau",
    "Lindqvist",
    "Mbeki",
    "Nakamura",
    "Okafor",
    "Pereira",
    "Quayle",
    "Rahman",
    "Sandoval",
    "Tremayne",
    "Urquhart",
    "Varga",
    "Whitlock",
    "Yilmaz",
    "Zielinski",
];

/// Jobs people are quoted under.
pub const ROLES: &[&str] = &[
    "a spokesperson",
    "the chief executive",
    "a senior researcher",
    "the council leader",
    "a local resident",
    "the union's regional secretary",
    "an independent analyst",
    "the project director",
    "a shop owner",
    "the health minister",
    "a retired engineer",
    "the head teacher",
];

/// Who does things in stories (plural or collective nouns).
pub const ACTORS: &[&str] = &[
    "council",
    "ministers",
    "farmers",
    "researchers",
    "union",
    "regulator",
    "hospital trust",
    "port authority",
    "residents",
    "engineers",
    "court",
    "rail operator",
    "water company",
    "teachers",
    "fishing crews",
    "lawmakers",
    "investors",
    "campaigners",
    "doctors",
    "city officials",
];

/// Verbs for headlines, present tense to agree with a plural or collective subject.
pub const HEADLINE_VERBS: &[&str] = &[
    "back",
    "reject",
    "delay",
    "approve",
    "question",
    "extend",
    "halt",
    "review",
    "defend",
    "expand",
    "cut",
    "restore",
    "challenge",
    "welcome",
    "cap",
    "revive",
];

/// The same verbs in the past tense, for body copy.
pub const PAST_VERBS: &[&str] = &[
    "backed",
    "rejected",
    "delayed",
    "approved",
    "questioned",
    "extended",
    "halted",
    "reviewed",
    "defended",
    "expanded",
    "cut",
    "restored",
    "challenged",
    "welcomed",
    "capped",
    "revived",
];

pub const SAYING_VERBS: &[&str] = &[
    "said",
    "warned",
    "announced",
    "confirmed",
    "argued",
    "told reporters",
    "insisted",
    "wrote",
];

pub const ADJECTIVES: &[&str] = &[
    "new",
    "regional",
    "long-awaited",
    "controversial",
    "temporary",
    "national",
    "costly",
    "ambitious",
    "disputed",
    "modest",
    "emergency",
    "delayed",
    "record",
    "second",
];

/// What stories are about, for every section.
pub const GENERAL_THINGS: &[&str] = &[
    "harbour wall",
    "bus routes",
    "flood defences",
    "housing plan",
    "ferry service",
    "market hall",
    "road tolls",
    "library hours",
    "bridge repairs",
    "school meals",
    "street lighting",
    "pension scheme",
];

/// Section flavour: the slug prefix a list belongs to and its subjects.
pub const THEMED_THINGS: &[(&str, &[&str])] = &[
    (
        "business",
        &[
            "grain exports",
            "interest rates",
            "factory orders",
            "shipping costs",
            "retail sales",
            "cocoa prices",
            "steel tariffs",
            "wage deal",
            "bank merger",
            "fuel duty",
        ],
    ),
    (
        "science",
        &[
            "glacier survey",
            "drought trial",
            "seabird numbers",
            "river pollution",
            "telescope array",
            "soil carbon",
            "coral monitoring",
            "wheat varieties",
            "methane readings",
        ],
    ),
    (
        "technology",
        &[
            "broadband coverage",
            "data centre",
            "chip plant",
            "satellite launch",
            "payment system",
            "battery factory",
            "mobile masts",
            "software licence",
            "cable repair",
        ],
    ),
    (
        "health",
        &[
            "clinic waiting times",
            "vaccine rollout",
            "nurse training",
            "dementia study",
            "ambulance response",
            "hospital beds",
            "screening programme",
            "maternity unit",
        ],
    ),
    (
        "uk",
        &[
            "council tax",
            "rail timetable",
            "grit supplies",
            "village post office",
            "coastal path",
            "parking charges",
            "youth club",
        ],
    ),
    (
        "world",
        &[
            "border crossing",
            "ceasefire talks",
            "election count",
            "aid convoy",
            "canal traffic",
            "mining licence",
            "power grid",
            "refugee camp",
        ],
    ),
];

/// Section slugs that share the world list (regions).
pub const WORLD_REGIONS: &[&str] = &[
    "americas",
    "africa",
    "europe",
    "middle-east",
    "south-asia",
    "asia-pacific",
];

pub const WHEN: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "at the weekend",
    "last week",
    "this month",
    "after months of talks",
    "earlier this year",
];

/// Openings for sentences after the first.
pub const CONNECTIVES: &[&str] = &[
    "However,",
    "Meanwhile,",
    "In a statement,",
    "Since then,",
    "By contrast,",
    "Last year,",
    "Even so,",
    "For now,",
];

pub const NUMBERS: &[&str] = &[
    "two",
    "three",
    "five",
    "a dozen",
    "twenty",
    "40",
    "150",
    "several hundred",
    "2,000",
    "a third",
];

pub const MEASURES: &[&str] = &[
    "per cent",
    "million pounds",
    "families",
    "jobs",
    "kilometres",
    "years",
    "days",
    "tonnes",
];

pub const CONSEQUENCES: &[&str] = &[
    "the decision could affect",
    "the change would cost about",
    "the figures show a fall of",
    "the plan is expected to create",
    "officials estimate a rise of",
    "the work will take",
    "the shortfall leaves",
];

pub const CROSSHEADS: &[&str] = &[
    "Rising costs",
    "What happens next",
    "A long dispute",
    "Mixed reaction",
    "Questions remain",
    "The numbers",
    "Local impact",
    "Years of delay",
    "A second opinion",
    "Looking ahead",
];

pub const REPORTS: &[&str] = &[
    "Counting the Cost",
    "State of the Coast",
    "Open Roads",
    "Clear Water",
    "The Long Winter",
];

pub const CORRECTIONS: &[&str] = &[
    "An earlier version of this story gave the wrong day for the vote.",
    "This story has been amended to correct the name of the union.",
    "An earlier version misstated the cost of the scheme.",
    "A quote in this story was wrongly attributed and has been corrected.",
];

pub const PHOTO_CREDITS: &[&str] = &["Dateline Pictures", "Staff photographer", "Handout"];
