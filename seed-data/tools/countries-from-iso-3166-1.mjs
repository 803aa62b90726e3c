// Builds seed-data/countries.csv from the npm package iso-3166-1 (MIT, v2.1.1).
//
// Codes and names are copied verbatim from the package's data (they are facts, and typing
// them by hand invites mistakes); only the region column is ours. INTERPOL publishes no
// country-to-region table, so REGIONS below is the project's own mapping (see ../README.md).
//
// Usage (from the repository root):
//   d=$(mktemp -d) && (cd "$d" && npm pack iso-3166-1 && tar xzf iso-3166-1-*.tgz)
//   node seed-data/tools/countries-from-iso-3166-1.mjs "$d/package/dist/iso-3166.js" > seed-data/countries.csv
import { createRequire } from "node:module";
import path from "node:path";

const REGIONS = {
  "Middle East and North Africa": [
    // Arab League members of North Africa and the Middle East, plus Iran, Israel and Palestine.
    // Western Sahara goes with its North African neighbours.
    "ARE", "BHR", "DZA", "EGY", "ESH", "IRN", "IRQ", "ISR", "JOR", "KWT", "LBN", "LBY",
    "MAR", "OMN", "PSE", "QAT", "SAU", "SYR", "TUN", "YEM",
  ],
  "Africa": [
    // Sub-Saharan Africa, including the Arab League members south of the Sahara (Sudan,
    // Mauritania, Somalia, Djibouti, Comoros) and the African island territories.
    "AGO", "BDI", "BEN", "BFA", "BWA", "CAF", "CIV", "CMR", "COD", "COG", "COM", "CPV",
    "DJI", "ERI", "ETH", "GAB", "GHA", "GIN", "GMB", "GNB", "GNQ", "KEN", "LBR", "LSO",
    "MDG", "MLI", "MOZ", "MRT", "MUS", "MWI", "MYT", "NAM", "NER", "NGA", "REU", "RWA",
    "SDN", "SEN", "SHN", "SLE", "SOM", "SSD", "STP", "SWZ", "SYC", "TCD", "TGO", "TZA",
    "UGA", "ZAF", "ZMB", "ZWE",
  ],
  "Americas": [
    // North, Central and South America and the Caribbean, with the territories there
    // (Greenland, Bermuda, Saint Pierre and Miquelon, the Falklands, French Guiana...).
    "ABW", "AIA", "ARG", "ATG", "BES", "BHS", "BLM", "BLZ", "BMU", "BOL", "BRA", "BRB",
    "CAN", "CHL", "COL", "CRI", "CUB", "CUW", "CYM", "DMA", "DOM", "ECU", "FLK", "GLP",
    "GRD", "GRL", "GTM", "GUF", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MAF", "MEX",
    "MSR", "MTQ", "NIC", "PAN", "PER", "PRI", "PRY", "SLV", "SPM", "SUR", "SXM", "TCA",
    "TTO", "URY", "USA", "VCT", "VEN", "VGB", "VIR",
  ],
  "Europe": [
    // Including Turkey, Russia, the Caucasus (Armenia, Azerbaijan, Georgia), Cyprus and the
    // European territories (Åland, Faroe, Gibraltar, the Crown Dependencies, Svalbard).
    "ALA", "ALB", "AND", "ARM", "AUT", "AZE", "BEL", "BGR", "BIH", "BLR", "CHE", "CYP",
    "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "FRO", "GBR", "GEO", "GGY", "GIB",
    "GRC", "HRV", "HUN", "IMN", "IRL", "ISL", "ITA", "JEY", "LIE", "LTU", "LUX", "LVA",
    "MCO", "MDA", "MKD", "MLT", "MNE", "NLD", "NOR", "POL", "PRT", "ROU", "RUS", "SJM",
    "SMR", "SRB", "SVK", "SVN", "SWE", "TUR", "UKR", "VAT",
  ],
  "Asia and South Pacific": [
    // The rest of Asia (South, South-East, East and Central Asia, Afghanistan), Oceania, and
    // Antarctica with the remote southern and ocean territories (Bouvet, Heard and McDonald,
    // French Southern Territories, South Georgia, British Indian Ocean Territory, US Minor
    // Outlying Islands).
    "AFG", "ASM", "ATA", "ATF", "AUS", "BGD", "BRN", "BTN", "BVT", "CCK", "CHN", "COK",
    "CXR", "FJI", "FSM", "GUM", "HKG", "HMD", "IDN", "IND", "IOT", "JPN", "KAZ", "KGZ",
    "KHM", "KIR", "KOR", "LAO", "LKA", "MAC", "MDV", "MHL", "MMR", "MNG", "MNP", "MYS",
    "NCL", "NFK", "NIU", "NPL", "NRU", "NZL", "PAK", "PCN", "PHL", "PLW", "PNG", "PRK", "PYF",
    "SGP", "SGS", "SLB", "THA", "TJK", "TKL", "TKM", "TLS", "TON", "TUV", "TWN", "UMI",
    "UZB", "VNM", "VUT", "WLF", "WSM",
  ],
};

const dataFile = process.argv[2];
if (!dataFile) {
  console.error("usage: node countries-from-iso-3166-1.mjs <path to iso-3166-1/dist/iso-3166.js>");
  process.exit(2);
}
const countries = createRequire(import.meta.url)(path.resolve(dataFile)).default;

const regionOf = new Map();
for (const [region, codes] of Object.entries(REGIONS)) {
  for (const code of codes) {
    if (regionOf.has(code)) throw new Error(`${code} is mapped to two regions`);
    regionOf.set(code, region);
  }
}

// Fail rather than write a partial table: every ISO entry needs a region and every mapped
// code must be a real ISO entry.
if (countries.length !== 249) throw new Error(`expected 249 ISO 3166-1 entries, got ${countries.length}`);
const missing = countries.filter((c) => !regionOf.has(c.alpha3)).map((c) => c.alpha3);
if (missing.length) throw new Error(`no region for: ${missing.join(", ")}`);
const known = new Set(countries.map((c) => c.alpha3));
const unknown = [...regionOf.keys()].filter((code) => !known.has(code));
if (unknown.length) throw new Error(`mapped codes not in ISO 3166-1: ${unknown.join(", ")}`);

// RFC 4180: quote a field that holds a comma, a quote or a line break.
const csvField = (s) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

// Where the package's name is ambiguous or older than ISO's current English short name, use ISO's
// current one; without this COD and COG would both read "Congo" in every table.
const CURRENT_NAMES = {
  COD: "Democratic Republic of the Congo",
  CZE: "Czechia",
  MKD: "North Macedonia",
  SWZ: "Eswatini",
  TUR: "Türkiye",
  VGB: "Virgin Islands (British)",
  VIR: "Virgin Islands (U.S.)",
};

const lines = ["alpha2,alpha3,name,region"];
for (const c of [...countries].sort((a, b) => (a.alpha3 < b.alpha3 ? -1 : a.alpha3 > b.alpha3 ? 1 : 0))) {
  lines.push([c.alpha2, c.alpha3, CURRENT_NAMES[c.alpha3] ?? c.country, regionOf.get(c.alpha3)].map(csvField).join(","));
}
process.stdout.write(lines.join("\n") + "\n");
