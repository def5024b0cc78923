"""Words the demo plant is named with: a coatings and adhesives maker in Europe.

Names are plausible on purpose (a demo that says "foo" teaches nothing), but companies
and brands are invented; equipment makers are real vendors of that kind of machine.
"""

from __future__ import annotations

# fmt: off

SITES: tuple[tuple[str, str, str], ...] = (
    ("Rotterdam", "NL", "Europe/Amsterdam"),
    ("Lyon", "FR", "Europe/Paris"),
    ("Graz", "AT", "Europe/Vienna"),
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "NL": (
        "Jeroen", "Sanne", "Daan", "Lotte", "Bram", "Femke", "Thijs", "Anouk", "Ruben", "Iris",
        "Joost", "Marieke", "Sem", "Eline", "Wouter", "Noor", "Kees", "Maaike", "Pieter", "Fleur",
    ),
    "FR": (
        "Julien", "Camille", "Mathieu", "Chloé", "Nicolas", "Léa", "Antoine", "Manon", "Hugo",
        "Émilie", "Thomas", "Sophie", "Maxime", "Claire", "Romain", "Inès", "Lucas", "Margaux",
    ),
    "AT": (
        "Lukas", "Anna", "Florian", "Katharina", "Stefan", "Lena", "Markus", "Johanna", "Tobias",
        "Theresa", "Andreas", "Verena", "Matthias", "Sabine", "Philipp", "Elisabeth", "Jakob",
    ),
    "INT": (
        "Mehmet", "Agnieszka", "Piotr", "Ana", "João", "Fatima", "Karim", "Elena", "Marco",
        "Ioana", "Dragan", "Yusuf", "Olga", "Tomasz", "Giulia", "Nikolai", "Samira", "Rui",
    ),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "NL": (
        "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Kok", "van Dijk", "Verhoeven", "Koster", "Prins",
    ),
    "FR": (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "Mercier", "Blanc",
    ),
    "AT": (
        "Gruber", "Huber", "Bauer", "Wagner", "Müller", "Pichler", "Steiner", "Moser", "Mayer",
        "Hofer", "Leitner", "Berger", "Fuchs", "Eder", "Fischer", "Schmid", "Winkler", "Weber",
        "Schwarz", "Maier", "Schneider", "Reiter", "Mayr", "Brunner",
    ),
    "INT": (
        "Yılmaz", "Kowalski", "Nowak", "Silva", "Santos", "Popescu", "Rossi", "Petrović", "Demir",
        "Ivanova", "Novák", "Horvat", "Costa", "Kaya", "Wiśniewski", "Ferreira",
    ),
}

# --- equipment: area groups, machines per kind, operations, makers -------------------------
# group -> (area name, line name stem, skill, machine kinds in line order; the first is the
# main machine that batches are produced on)
GROUPS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "binder": (
        "Resin Synthesis",
        "Reactor Line",
        "Reactor operator",
        ("Reactor", "Thinning tank", "Filter press", "Bag filter"),
    ),
    "paste": (
        "Pigment Dispersion",
        "Paste Line",
        "Dispersion operator",
        ("Bead mill", "High-speed disperser", "Basket mill", "Bag filter"),
    ),
    "base": (
        "Pigment Dispersion",
        "Dispersion Line",
        "Dispersion operator",
        ("High-speed disperser", "Bead mill", "Let-down tank", "Bag filter"),
    ),
    "bulk": (
        "Paint Mixing",
        "Mixing Line",
        "Mixing operator",
        ("Mixer", "Tinting machine", "Homogenizer", "Filter unit"),
    ),
    "finished": (
        "Filling & Packing",
        "Filling Line",
        "Filling line operator",
        ("Filler", "Capper", "Labeler", "Checkweigher", "Case packer", "Palletizer"),
    ),
}

OPERATION_NAMES: dict[str, str] = {
    "Reactor": "Polymerisation",
    "Thinning tank": "Thinning and neutralisation",
    "Filter press": "Filtration",
    "Bag filter": "Bag filtration",
    "Bead mill": "Milling",
    "High-speed disperser": "Dispersion",
    "Basket mill": "Fine grinding",
    "Let-down tank": "Let-down",
    "Mixer": "Mixing",
    "Tinting machine": "Tinting",
    "Homogenizer": "Homogenisation",
    "Filter unit": "Straining",
    "Filler": "Filling",
    "Capper": "Capping",
    "Labeler": "Labelling",
    "Checkweigher": "Weight check",
    "Case packer": "Case packing",
    "Palletizer": "Palletising",
}

MANUFACTURERS: dict[str, tuple[str, ...]] = {
    "Reactor": (
        "Pfaudler", "De Dietrich Process Systems", "Buss-SMS-Canzler", "Thaletec",
    ),
    "Thinning tank": (
        "Ekato", "Zeppelin Systems", "Paul Mueller",
    ),
    "Filter press": (
        "Andritz", "Diemme Filtration",
    ),
    "Bag filter": (
        "Eaton", "Pall", "Hayward",
    ),
    "Bead mill": (
        "Netzsch", "Bühler", "WAB",
    ),
    "High-speed disperser": (
        "VMA-Getzmann", "Netzsch", "Ross",
    ),
    "Basket mill": (
        "Hockmeyer", "VMA-Getzmann",
    ),
    "Let-down tank": (
        "Ekato", "Paul Mueller",
    ),
    "Mixer": (
        "Ekato", "Silverson", "Lödige", "Ross",
    ),
    "Tinting machine": (
        "Fluid Management", "Corob",
    ),
    "Homogenizer": (
        "GEA", "SPX Flow",
    ),
    "Filter unit": (
        "Eaton", "Russell Finex",
    ),
    "Filler": (
        "Feige Filling", "Krones", "Serac", "Hassia",
    ),
    "Capper": (
        "Arol", "Zalkin",
    ),
    "Labeler": (
        "Herma", "Krones", "P.E. Labellers",
    ),
    "Checkweigher": (
        "Mettler-Toledo", "Ishida", "Wipotec",
    ),
    "Case packer": (
        "Schubert", "Syntegon", "Douglas Machines",
    ),
    "Palletizer": (
        "KUKA", "FANUC", "Ocme",
    ),
}

# --- what is bought ----------------------------------------------------------------------
# category -> (name, unit, shelf life in days or 0, delivery pack size)
RAW_MATERIALS: dict[str, tuple[tuple[str, str, int, float], ...]] = {
    "monomer": (
        ("Butyl acrylate", "kg", 365, 20000),
        ("Methyl methacrylate", "kg", 365, 20000),
        ("Styrene", "kg", 180, 20000),
        ("2-Ethylhexyl acrylate", "kg", 365, 1000),
        ("Vinyl acetate", "kg", 180, 20000),
        ("Acrylic acid", "kg", 365, 1000),
        ("Methacrylic acid", "kg", 365, 1000),
        ("Soybean oil fatty acids", "kg", 540, 20000),
        ("Phthalic anhydride", "kg", 730, 1000),
        ("Pentaerythritol", "kg", 1095, 1000),
        ("Isophorone diisocyanate", "kg", 365, 200),
        ("Polypropylene glycol 2000", "kg", 730, 1000),
    ),
    "process": (
        ("Ammonium persulfate", "kg", 730, 500),
        ("Sodium lauryl sulfate", "kg", 730, 500),
        ("Nonionic surfactant, ethoxylated", "kg", 730, 200),
        ("Ammonia solution 25 %", "L", 365, 1000),
        ("Sodium hydroxide solution 50 %", "L", 730, 1000),
    ),
    "pigment": (
        ("Titanium dioxide, rutile", "kg", 1825, 1000),
        ("Iron oxide red", "kg", 1825, 1000),
        ("Iron oxide yellow", "kg", 1825, 1000),
        ("Iron oxide black", "kg", 1825, 1000),
        ("Phthalocyanine blue", "kg", 1825, 250),
        ("Phthalocyanine green", "kg", 1825, 250),
        ("Carbon black", "kg", 1825, 500),
        ("Diarylide yellow", "kg", 1095, 250),
    ),
    "extender": (
        ("Calcium carbonate, ground 5 µm", "kg", 1825, 1000),
        ("Calcium carbonate, precipitated", "kg", 1825, 1000),
        ("Kaolin, calcined", "kg", 1825, 1000),
        ("Talc, micronised", "kg", 1825, 1000),
        ("Barium sulphate, precipitated", "kg", 1825, 1000),
        ("Silica, fumed", "kg", 1825, 200),
    ),
    "additive": (
        ("Dispersant, polyacrylate", "kg", 730, 200),
        ("Defoamer, mineral oil", "kg", 540, 200),
        ("Wetting agent, siloxane", "kg", 540, 200),
        ("Biocide, isothiazolinone", "kg", 365, 200),
        ("Thickener, hydroxyethyl cellulose", "kg", 1095, 500),
        ("Thickener, associative PU", "kg", 540, 200),
        ("Coalescent, ester alcohol", "kg", 730, 200),
        ("Propylene glycol", "kg", 730, 1000),
        ("Wax emulsion", "kg", 365, 200),
        ("Drier, cobalt-free", "kg", 365, 50),
        ("Mineral spirits, dearomatised", "L", 730, 1000),
        ("UV absorber", "kg", 730, 50),
    ),
}

GRADE_CODES = (
    "HP", "LV", "TX", "SG", "XF", "RM", "EC", "MS",
)

# Containers: (size label, fill litres, container name, lid name or "", pieces per pallet,
# max pieces per batch, pieces per hour on a filler, carton)
CONTAINERS: tuple[tuple[str, float, str, str, int, int, int, str], ...] = (
    ("10 L", 10.0, "Pail 10 L, PP, white", "Lid 10 L, PP, tamper-evident", 44, 900, 550, ""),
    ("5 L", 5.0, "Pail 5 L, PP, white", "Lid 5 L, PP, tamper-evident", 80, 1400, 850, ""),
    ("2.5 L", 2.5, "Tin can 2.5 L, lacquered", "Lever lid 2.5 L", 150, 2000, 1200,
     "Carton, 4 × 2.5 L"),
    ("0.75 L", 0.75, "Tin can 0.75 L, lacquered", "Lever lid 0.75 L", 420, 3600, 2100,
     "Carton, 6 × 0.75 L"),
    ("310 mL", 0.31, "Cartridge 310 mL, HDPE", "Nozzle, cartridge, cut-to-size", 1200, 6000, 2400,
     "Carton, 12 × 310 mL"),
)

# --- what is made ------------------------------------------------------------------------
BRANDS = (
    "Aqualux", "Duraprime", "Terracoat", "Silkline", "Marinex", "Nordhaus", "Ecoshield",
    "Ferroguard", "Lumina", "Vitrex", "Heritage", "Alpenweiss",
)

# type name, sizes (indices into CONTAINERS), base kind, whether it takes a colour
PRODUCT_TYPES: tuple[tuple[str, tuple[int, ...], str, bool], ...] = (
    ("Interior Wall Paint Matt", (0, 1, 2), "Tint Base", True),
    ("Interior Wall Paint Satin", (0, 1, 2), "Tint Base", True),
    ("Exterior Masonry Paint", (0, 1), "Masonry Base", True),
    ("Gloss Enamel", (2, 3), "Enamel Base", True),
    ("Satin Enamel", (2, 3), "Enamel Base", True),
    ("Metal Primer", (2, 3), "Primer Base", False),
    ("Wood Primer", (2, 3), "Primer Base", False),
    ("Wood Stain", (2, 3), "", True),
    ("Clear Varnish", (2, 3), "", False),
    ("Floor Coating", (0, 1), "Floor Base", True),
    ("Acrylic Sealant", (4,), "", True),
    ("Facade Primer", (0, 1), "", False),
)

COLOURS: tuple[tuple[str, str], ...] = (
    ("Brilliant White", ""),
    ("Magnolia", "yellow"),
    ("Pebble Grey", "black"),
    ("Anthracite", "black"),
    ("Sage Green", "green"),
    ("Ocean Blue", "blue"),
    ("Terracotta", "red"),
    ("Ivory", "yellow"),
    ("Oxide Red", "red"),
    ("Ochre", "yellow"),
    ("Slate Blue", "blue"),
    ("Forest Green", "green"),
)

BINDER_NAMES = (
    "Acrylic Binder", "Styrene-Acrylic Binder", "Vinyl Acrylic Emulsion", "Alkyd Resin",
    "PU Dispersion",
)

PASTE_NAMES: tuple[tuple[str, str], ...] = (
    ("TiO2 Slurry 72 %", "Titanium dioxide, rutile"),
    ("Pigment Paste Oxide Red", "Iron oxide red"),
    ("Pigment Paste Oxide Yellow", "Iron oxide yellow"),
    ("Pigment Paste Black", "Carbon black"),
    ("Pigment Paste Phthalo Blue", "Phthalocyanine blue"),
    ("Pigment Paste Phthalo Green", "Phthalocyanine green"),
    ("Pigment Paste Organic Yellow", "Diarylide yellow"),
    ("Extender Slurry CaCO3", "Calcium carbonate, ground 5 µm"),
)

BASE_NAMES = (
    "Tint Base", "Masonry Base", "Enamel Base", "Primer Base", "Floor Base",
)

# --- who we buy from and sell to ---------------------------------------------------------
LEGAL_FORMS: dict[str, str] = {
    "NL": "B.V.",
    "DE": "GmbH",
    "AT": "GmbH",
    "CH": "AG",
    "BE": "NV",
    "FR": "SAS",
    "IT": "S.p.A.",
    "ES": "S.L.",
    "GB": "Ltd",
    "SE": "AB",
    "DK": "A/S",
    "PL": "Sp. z o.o.",
    "CZ": "s.r.o.",
    "US": "Inc.",
    "FI": "Oy",
}

SUPPLIER_STEMS = (
    "Rhenus", "Baltica", "Alpina", "Meridian", "Crestline", "Novachem", "Helvetia", "Iberchem",
    "Danubia", "Lakeside", "Atlas", "Orion", "Kestrel", "Sterling", "Nordic", "Vistula",
    "Adriatic", "Carpathia", "Thames", "Saxonia", "Brabant", "Vega", "Polaris", "Elbe", "Moselle",
    "Tatra", "Skagen", "Ligure", "Cantabria", "Ardennes",
)

SUPPLIER_TRADES: dict[str, tuple[str, ...]] = {
    "monomer": (
        "Monomers", "Petrochemicals", "Chemicals",
    ),
    "process": (
        "Chemicals", "Specialty Chemicals", "Chemie",
    ),
    "pigment": (
        "Pigments", "Colour Chemicals", "Oxides",
    ),
    "extender": (
        "Minerals", "Industrial Minerals", "Fillers",
    ),
    "additive": (
        "Additives", "Specialty Additives", "Performance Chemicals",
    ),
    "packaging": (
        "Packaging", "Containers", "Plastics", "Metal Packaging",
    ),
    "label": (
        "Labels", "Print & Label", "Flexo Print",
    ),
}

SUPPLIER_COUNTRIES = (
    "DE", "NL", "BE", "FR", "IT", "ES", "GB", "PL", "AT", "SE", "CZ", "US", "FI",
)

CUSTOMER_COUNTRIES = (
    "NL", "DE", "BE", "FR", "AT", "CH", "GB", "PL", "SE", "DK", "IT", "CZ", "ES",
)

CUSTOMER_TRADES: dict[str, tuple[str, ...]] = {
    "NL": (
        "Bouwmarkt", "Verfgroothandel", "Schildersbedrijf", "Bouwmaterialen",
    ),
    "DE": (
        "Baumarkt", "Farbengroßhandel", "Malerbetrieb", "Baustoffhandel",
    ),
    "AT": (
        "Baumarkt", "Farbenhandel", "Malerei", "Baustoffe",
    ),
    "CH": (
        "Farbenhandel", "Malergeschäft", "Baucenter",
    ),
    "BE": (
        "Bouwmarkt", "Peintures", "Verfhandel",
    ),
    "FR": (
        "Peintures", "Matériaux", "Négoce Bâtiment", "Décoration",
    ),
    "GB": (
        "Decorating Supplies", "Builders Merchants", "Trade Paints", "DIY",
    ),
    "PL": (
        "Farby", "Hurtownia Budowlana", "Market Budowlany",
    ),
    "SE": (
        "Färghandel", "Bygghandel", "Måleri",
    ),
    "DK": (
        "Farvehandel", "Byggemarked", "Malerfirma",
    ),
    "IT": (
        "Colorificio", "Edilizia", "Vernici",
    ),
    "CZ": (
        "Barvy Laky", "Stavebniny", "Hobby Market",
    ),
    "ES": (
        "Pinturas", "Materiales de Construcción", "Bricolaje",
    ),
}

CUSTOMER_NAMES: dict[str, tuple[str, ...]] = {
    "NL": (
        "Van Dijk", "Hoekstra", "De Jong", "Kuipers", "Vermeulen", "Van Loon", "Brinkman",
    ),
    "DE": (
        "Hoffmann", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Krüger",
    ),
    "AT": (
        "Gruber", "Huber", "Pichler", "Steiner", "Moser", "Hofer",
    ),
    "CH": (
        "Meier", "Keller", "Brunner", "Baumann", "Frei",
    ),
    "BE": (
        "Peeters", "Janssens", "Maes", "Dupont", "Claes", "Willems",
    ),
    "FR": (
        "Moreau", "Lambert", "Fontaine", "Rousseau", "Chevalier", "Garnier",
    ),
    "GB": (
        "Whitfield", "Harrington", "Pemberton", "Ashworth", "Caldwell", "Brooks",
    ),
    "PL": (
        "Kowalczyk", "Zieliński", "Szymański", "Lewandowski", "Dąbrowski",
    ),
    "SE": (
        "Lindqvist", "Bergström", "Sandberg", "Holm", "Nyström",
    ),
    "DK": (
        "Jensen", "Nielsen", "Kristensen", "Møller", "Lund",
    ),
    "IT": (
        "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    ),
    "CZ": (
        "Dvořák", "Černý", "Procházka", "Kučera", "Veselý",
    ),
    "ES": (
        "García", "Fernández", "López", "Martínez", "Sánchez",
    ),
}

CITIES: dict[str, tuple[str, ...]] = {
    "NL": (
        "Utrecht", "Eindhoven", "Groningen", "Zwolle", "Breda", "Haarlem", "Arnhem",
    ),
    "DE": (
        "Köln", "Hannover", "Leipzig", "Dortmund", "Nürnberg", "Bremen", "Freiburg",
    ),
    "AT": (
        "Linz", "Salzburg", "Innsbruck", "Klagenfurt", "Wels",
    ),
    "CH": (
        "Basel", "Bern", "Luzern", "Winterthur",
    ),
    "BE": (
        "Antwerpen", "Gent", "Liège", "Brugge", "Namur",
    ),
    "FR": (
        "Grenoble", "Nantes", "Lille", "Dijon", "Rennes", "Toulouse",
    ),
    "GB": (
        "Leeds", "Bristol", "Sheffield", "Norwich", "Coventry", "Derby",
    ),
    "PL": (
        "Poznań", "Wrocław", "Gdańsk", "Łódź", "Katowice",
    ),
    "SE": (
        "Göteborg", "Malmö", "Uppsala", "Västerås",
    ),
    "DK": (
        "Aarhus", "Odense", "Aalborg", "Esbjerg",
    ),
    "IT": (
        "Torino", "Verona", "Bologna", "Brescia", "Padova",
    ),
    "CZ": (
        "Brno", "Ostrava", "Plzeň", "Olomouc",
    ),
    "ES": (
        "Zaragoza", "Valencia", "Bilbao", "Sevilla",
    ),
}

TRANSIT_DAYS: dict[str, int] = {
    "NL": 1,
    "BE": 1,
    "DE": 2,
    "FR": 2,
    "AT": 2,
    "CH": 2,
    "GB": 3,
    "DK": 2,
    "PL": 3,
    "CZ": 3,
    "IT": 3,
    "SE": 4,
    "ES": 4,
}

# --- what goes wrong ---------------------------------------------------------------------
LOT_DEFECTS: dict[str, tuple[str, ...]] = {
    "monomer": (
        "inhibitor content below specification", "water content 0.12 % above specification",
        "colour APHA 35, specification max. 20",
    ),
    "process": (
        "assay 2.1 % below specification", "certificate of analysis missing",
    ),
    "pigment": (
        "colour deviation ΔE 1.8 against standard", "oil absorption out of range",
        "moisture content 0.8 % above specification",
    ),
    "extender": (
        "particle size d50 out of range", "moisture content above specification",
    ),
    "additive": (
        "viscosity out of specification (high)", "solids content 1.5 % below specification",
        "drums damaged in transit, 2 leaking",
    ),
    "packaging": (
        "wall thickness below drawing tolerance", "lid does not seal, 4 of 50 samples leaked",
        "lacquer adhesion failed cross-cut test",
    ),
    "label": (
        "print misregistration on 6 % of labels", "wrong artwork version delivered",
    ),
}

BATCH_DEVIATIONS: dict[str, tuple[str, ...]] = {
    "binder": (
        "temperature excursion during monomer feed (+3 K for 12 min)",
        "feed time extended by 25 min after dosing pump alarm",
        "residual monomer above target, post-reaction extended",
    ),
    "paste": (
        "fineness of grind 12 µm, target ≤ 10 µm; milled one extra pass",
    ),
    "base": (
        "viscosity adjusted with 0.2 % thickener", "pH 7.6, corrected with ammonia",
    ),
    "bulk": (
        "colour out of tolerance, re-tinted", "viscosity adjusted with water",
        "foam on surface, extra defoamer added",
    ),
    "finished": (
        "fill weight drift on head 7, 40 units reworked", "label skew on 3 % of units",
        "lid crimping rejected 1.5 % of units",
    ),
}

MACHINE_ISSUES: dict[str, tuple[str, ...]] = {
    "binder": (
        "agitator shaft seal leak", "jacket temperature sensor drift", "condenser fouling",
    ),
    "paste": (
        "grinding media wear, refill required", "mill seal pressure low",
    ),
    "base": (
        "disperser blade damaged", "load cell calibration overdue",
    ),
    "bulk": (
        "mixer gearbox vibration above limit", "tinting nozzle clogged",
    ),
    "finished": (
        "filler nozzle dripping", "capper torque out of range", "labeler vacuum loss",
    ),
}

COMPLAINTS = (
    "customer reports colour mismatch against previous delivery",
    "customer reports skinning in opened containers",
    "customer reports dented containers on delivery", "customer reports poor hiding power",
    "customer reports settled pigment in containers",
)
# fmt: on
