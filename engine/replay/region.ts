/**
 * The region of replayed data: the engine's {@link Region} (counties → medical communities → lead
 * hospital, township centres, village clinics; city hospitals; pharmacies; the off-site
 * pseudo-facility) built from the enrollment's geography and the facilities the claims use, so
 * that the same payment models pay it. How each piece is found (docs/replay.md, "The region"):
 *
 * - Counties: the enrollment's county values. Residents: the scenario's, when every data county
 *   is one of the scenario's counties (by id or name); otherwise `--residents` (default: the
 *   scenario's total) apportioned over the counties by registered persons.
 * - Medical communities: the enrollment's `community` values (each in the county most of its
 *   persons live in), or one per county.
 * - Facilities: those with on-site claims (or in the register) whose tier is known. A facility's
 *   community is the register's, else the community most of its claims' patients belong to.
 *   City hospitals and pharmacies stand outside the communities.
 * - A community's lead hospital: the register's, else its hospital-tier facility with the most
 *   claims from the community's persons (a placeholder `<community>-lead`, with no claims, when it
 *   has none).
 * - A village clinic's township centre: the register's, else the township centre its patients use
 *   most (each patient counted at the centre they visit most), else the centre most used by the
 *   residents of the clinic's township (enrollment), else the community's first centre.
 * - A person's home village clinic (where capitation counts heads): the signed facility when it is
 *   a village clinic, else the clinic they visit most, else the clinic most used by their village's
 *   residents, else their community's first clinic. Placeholders are added where a community has
 *   no township centre or village clinic. A person belongs to the community of their home clinic.
 * - Blocks: one per township centre with its village clinics; each county's residents are spread
 *   over its blocks and their clinics by the persons living there.
 * - A person's designated hospital (for the undesignated-facility reduction): the enrollment's
 *   `designated_facility`, else the hospital they use most.
 */
import { largestRemainderSplit } from '../money/split.ts';
import type { Block, Community, Facility, Region } from '../population/region.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { TIERS } from '../params/schema.ts';
import type { Claims } from './claims.ts';
import type { Enrollment } from './enrollment.ts';
import type { FacilityTable } from './facilities.ts';
import { T_CITY, T_HOSPITAL, T_PHARMACY, T_TOWNSHIP, T_VILLAGE } from './values.ts';

export interface DataRegion {
  region: Region;
  /** Region facility index of each facility-table id (-1: not in the region). */
  facIndex: Int32Array;
  /** Per person: home village clinic, signed facility (-1), designated hospital (-1), community. */
  home: Int32Array;
  signedFac: Int32Array;
  designated: Int32Array;
  /** Per person: urban (1) or rural (0), unknown read as rural. */
  urban: Uint8Array;
  /** Notes on what was inferred (printed and written to replay.json). */
  notes: string[];
}

export interface RegionOptions {
  /** Total residents of the region covered by the data (`--residents`). */
  residents?: number;
  /** Region name. */
  name?: string;
}

const slugRe = /^[a-z0-9][a-z0-9-]*$/;
function slug(s: string): string | null {
  const t = s.normalize('NFKC').trim().toLowerCase().replace(/[\s_]+/g, '-');
  return slugRe.test(t) ? t : null;
}

/** Plurality of counts: the key with the largest count (first on ties), or -1. */
function argmax(m: Map<number, number> | undefined): number {
  if (!m) return -1;
  let best = -1;
  let bc = 0;
  for (const [k, c] of m) if (c > bc) [best, bc] = [k, c];
  return best;
}

function bump(m: Map<number, Map<number, number>>, a: number, b: number, by = 1): void {
  let x = m.get(a);
  if (!x) m.set(a, (x = new Map()));
  x.set(b, (x.get(b) ?? 0) + by);
}

/** The counties of the data, with residents (docs/replay.md, "The region"). */
function dataCounties(s: ScenarioFile, e: Enrollment, opts: RegionOptions, notes: string[]): { counties: Region['counties']; countyNames: string[] } {
  const countyNames = e.places.county.strings();
  const scenarioCounty = countyNames.map((nm) => s.region.counties.findIndex((c) => c.id === nm || c.name === nm || c.id === slug(nm)));
  const ids = new Set<string>();
  const counties = countyNames.map((nm, k) => {
    const sc = scenarioCounty[k] >= 0 ? s.region.counties[scenarioCounty[k]] : undefined;
    let id = sc?.id ?? slug(nm) ?? `county-${k + 1}`;
    while (ids.has(id)) id += '-x';
    ids.add(id);
    return { id, name: sc?.name ?? nm, residents: sc?.residents ?? 0 };
  });
  const personsInCounty = new Float64Array(counties.length);
  for (let p = 0; p < e.n; p++) personsInCounty[e.county[p]]++;
  const allMatched = scenarioCounty.every((k) => k >= 0);
  if (opts.residents !== undefined || !allMatched) {
    const total = opts.residents ?? s.region.counties.reduce((a, c) => a + c.residents, 0);
    const split = largestRemainderSplit(total, personsInCounty);
    counties.forEach((c, k) => (c.residents = split[k]));
    notes.push(
      opts.residents !== undefined
        ? `residents: ${total.toLocaleString('en-US')} (--residents), apportioned over the counties by registered persons`
        : `residents: the data's counties (${countyNames.join(', ')}) are not all counties of the scenario, so the scenario's ${total.toLocaleString('en-US')} residents are apportioned over them by registered persons (give --residents for the region the data covers)`,
    );
  }
  return { counties, countyNames };
}

/** The medical communities: the enrollment's `community` values, or one per county (added on demand). */
interface DataCommunities {
  communities: Community[];
  personComm: Int32Array;
  /** A county's default community (created on first use). */
  defaultComm: (county: number) => number;
  /** The community a register names, or -1. */
  commByName: (nm: string) => number;
}

function dataCommunities(e: Enrollment, counties: Region['counties']): DataCommunities {
  const nP = e.n;
  const communities: Community[] = [];
  const commKey = new Map<string, number>();
  const personComm = new Int32Array(nP);
  const commNames = e.places.community.strings();
  const commCountyVotes = new Map<number, Map<number, number>>();
  const defaultComm = (county: number) => {
    const key = `#${county}`;
    let ci = commKey.get(key);
    if (ci === undefined) {
      ci = communities.length;
      commKey.set(key, ci);
      communities.push({ id: `${counties[county].id}-1`, county, lead: -1, townships: [], villages: [] });
    }
    return ci;
  };
  for (let p = 0; p < nP; p++) {
    if (e.community[p] < 0) personComm[p] = defaultComm(e.county[p]);
    else {
      const key = `c${e.community[p]}`;
      let ci = commKey.get(key);
      if (ci === undefined) {
        ci = communities.length;
        commKey.set(key, ci);
        communities.push({ id: '', county: -1, lead: -1, townships: [], villages: [] });
      }
      personComm[p] = ci;
      bump(commCountyVotes, ci, e.county[p]);
    }
  }
  const commIds = new Set(communities.filter((c) => c.id).map((c) => c.id));
  for (const [key, ci] of commKey) {
    if (!key.startsWith('c')) continue;
    const c = communities[ci];
    c.county = argmax(commCountyVotes.get(ci));
    const nm = commNames[Number(key.slice(1))];
    let id = slug(nm) ?? `${counties[c.county].id}-c${ci + 1}`;
    while (commIds.has(id)) id += '-x';
    commIds.add(id);
    c.id = id;
  }
  const commByName = (nm: string) => {
    const k = commNames.indexOf(nm);
    if (k >= 0 && commKey.has(`c${k}`)) return commKey.get(`c${k}`)!;
    return communities.findIndex((c) => c.id === nm || c.id === slug(nm));
  };
  return { communities, personComm, defaultComm, commByName };
}

/** Who uses which facility, from the claims in adjudication order (on-site claims only). */
interface FacilityUsage {
  /** facility → community → claims */
  facComm: Map<number, Map<number, number>>;
  /** village clinic → township centre (its patients' most used) → patients */
  facPersons: Map<number, Map<number, number>>;
  /** Per person: the most used village clinic, township centre, hospital (facility-table ids; -1). */
  topVillage: Int32Array;
  topTown: Int32Array;
  topHosp: Int32Array;
}

function facilityUsage(claims: Claims, order: Int32Array, ft: FacilityTable, personComm: Int32Array, nP: number): FacilityUsage {
  const facComm = new Map<number, Map<number, number>>();
  const facPersons = new Map<number, Map<number, number>>();
  const topVillage = new Int32Array(nP).fill(-1);
  const topTown = new Int32Array(nP).fill(-1);
  const topHosp = new Int32Array(nP).fill(-1);
  let k = 0;
  const n = claims.n;
  const cnt = new Map<number, number>();
  while (k < n) {
    const p = claims.person[order[k]];
    cnt.clear();
    let j = k;
    for (; j < n && claims.person[order[j]] === p; j++) {
      const i = order[j];
      if (claims.offSite[i] >= 0) continue;
      const f = claims.facility[i];
      cnt.set(f, (cnt.get(f) ?? 0) + 1);
      bump(facComm, f, personComm[p]);
    }
    let bv = 0, bt = 0, bh = 0;
    for (const [f, c] of cnt) {
      const t = ft.tier[f];
      if (t === T_VILLAGE && c > bv) [topVillage[p], bv] = [f, c];
      else if (t === T_TOWNSHIP && c > bt) [topTown[p], bt] = [f, c];
      else if ((t === T_HOSPITAL || t === T_CITY) && c > bh) [topHosp[p], bh] = [f, c];
    }
    for (const [f] of cnt) if (ft.tier[f] === T_VILLAGE && topTown[p] >= 0) bump(facPersons, f, topTown[p]);
    k = j;
  }
  return { facComm, facPersons, topVillage, topTown, topHosp };
}

/** The region's facility list as it is built: facilities, each table id's index, placeholders. */
class FacilityList {
  readonly facilities: Facility[] = [];
  readonly facIndex: Int32Array;
  readonly placeholders: string[] = [];
  constructor(
    private readonly ft: FacilityTable,
    private readonly communities: Community[],
  ) {
    this.facIndex = new Int32Array(ft.n).fill(-1);
  }
  /** A facility of the data (table id f) as a region facility. */
  mk(f: number, tier: Facility['tier'], ci: number, extra: Partial<Facility> = {}): Facility {
    return {
      id: this.ft.idOf(f),
      name: this.ft.name[f] || this.ft.idOf(f),
      tier,
      county: ci >= 0 ? this.communities[ci].county : -1,
      community: ci,
      township: -1,
      lead: false,
      offSite: false,
      ...extra,
    };
  }
  add(fac: Facility, f = -1): number {
    const i = this.facilities.push(fac) - 1;
    if (f >= 0) this.facIndex[f] = i;
    return i;
  }
  /** A placeholder (a facility with no claims) where a community lacks one. */
  placeholder(fac: Facility): number {
    this.placeholders.push(fac.id);
    return this.add(fac);
  }
}

/** The data's facilities in the region, by tier, with their communities. */
interface Placed {
  inRegion: (f: number) => boolean;
  byTier: (t: number) => number[];
  commOf: Int32Array;
}

function placeFacilities(ft: FacilityTable, dc: DataCommunities, counties: Region['counties'], countyNames: string[], facComm: Map<number, Map<number, number>>): Placed {
  const { communities, commByName, defaultComm } = dc;
  const nT = ft.n;
  const inRegion = (f: number) => ft.tier[f] >= 0 && (ft.onSiteClaims[f] > 0 || ft.register[f] !== undefined);
  const placeComm = (f: number) => {
    const reg = ft.register[f];
    if (reg?.community) {
      const ci = commByName(reg.community);
      if (ci >= 0) return ci;
    }
    if (reg?.county) {
      const k = countyNames.indexOf(reg.county);
      const cid = counties.findIndex((c) => c.id === reg.county || c.name === reg.county);
      const county = k >= 0 ? k : cid;
      if (county >= 0) {
        const votes = facComm.get(f);
        const inCounty = [...(votes ?? new Map()).entries()].filter(([ci]) => communities[ci].county === county).sort((a, b) => b[1] - a[1]);
        return inCounty.length ? inCounty[0][0] : defaultComm(county);
      }
    }
    return argmax(facComm.get(f));
  };
  const byTier = (t: number) => Array.from({ length: nT }, (_, f) => f).filter((f) => inRegion(f) && ft.tier[f] === t);
  const commOf = new Int32Array(nT).fill(-1);
  for (const f of [...byTier(T_VILLAGE), ...byTier(T_TOWNSHIP), ...byTier(T_HOSPITAL)]) commOf[f] = placeComm(f);
  return { inRegion, byTier, commOf };
}

/** Each community's lead hospital: the register's, else its busiest hospital (-1: none). */
function leadHospitals(ft: FacilityTable, communities: Community[], hospitals: number[], commOf: Int32Array, facComm: Map<number, Map<number, number>>): Int32Array {
  const leadOf = new Int32Array(communities.length).fill(-1);
  for (const f of hospitals) if (ft.register[f]?.lead === 1 && leadOf[commOf[f]] < 0) leadOf[commOf[f]] = f;
  communities.forEach((_, ci) => {
    if (leadOf[ci] >= 0) return;
    let best = -1;
    let bc = -1;
    for (const f of hospitals) {
      if (commOf[f] !== ci || ft.register[f]?.lead === 0 || leadOf.includes(f)) continue;
      const c = facComm.get(f)?.get(ci) ?? 0;
      if (c > bc) [best, bc] = [f, c];
    }
    leadOf[ci] = best;
  });
  return leadOf;
}

/** The township centre of each village clinic (docs/replay.md, "The region"). */
function townshipOfVillages(ft: FacilityTable, e: Enrollment, usage: FacilityUsage, placed: Placed, townships: number[], villages: number[]): Map<number, number> {
  const { topTown, topVillage, facPersons } = usage;
  const { commOf, inRegion } = placed;
  const townOf = new Map<number, number>();
  const townOfPlace = new Map<string, Map<number, number>>(); // county|township place → township centre → persons
  for (let p = 0; p < e.n; p++) if (topTown[p] >= 0) {
    const key = `${e.county[p]}|${e.township[p]}`;
    let m = townOfPlace.get(key);
    if (!m) townOfPlace.set(key, (m = new Map()));
    m.set(topTown[p], (m.get(topTown[p]) ?? 0) + 1);
  }
  const villagePlace = new Map<number, Map<string, number>>(); // village clinic → patients' township place
  for (let p = 0; p < e.n; p++) if (topVillage[p] >= 0) {
    let m = villagePlace.get(topVillage[p]);
    if (!m) villagePlace.set(topVillage[p], (m = new Map()));
    const key = `${e.county[p]}|${e.township[p]}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  for (const v of villages) {
    const reg = ft.register[v]?.township;
    let t = -1;
    if (reg) {
      const id = ft.ids.findString(reg);
      if (id >= 0 && ft.tier[id] === T_TOWNSHIP && inRegion(id)) t = id;
    }
    if (t < 0) t = argmax(facPersons.get(v));
    if (t < 0) {
      const places = villagePlace.get(v);
      if (places) {
        const place = [...places.entries()].sort((a, b) => b[1] - a[1])[0][0];
        t = argmax(townOfPlace.get(place));
      }
    }
    if (t < 0 || commOf[t] !== commOf[v]) {
      // Keep a clinic in its own community: that community's busiest centre.
      const same = townships.filter((x) => commOf[x] === commOf[v]);
      if (t < 0 || !same.includes(t)) t = same.length ? same.sort((a, b) => ft.onSiteClaims[b] - ft.onSiteClaims[a])[0] : -1;
    }
    townOf.set(v, t);
  }
  return townOf;
}

/** Lay out the facilities community by community: lead, other hospitals, each centre then its clinics. */
function layOutCommunities(list: FacilityList, communities: Community[], leadOf: Int32Array, hospitals: number[], townships: number[], villages: number[], commOf: Int32Array, townOf: Map<number, number>): void {
  communities.forEach((c, ci) => {
    const lf = leadOf[ci];
    c.lead = lf >= 0 ? list.add(list.mk(lf, 'hospital', ci, { lead: true }), lf) : -1;
    if (c.lead < 0) c.lead = list.placeholder({ id: `${c.id}-lead`, name: `${c.id} lead hospital (placeholder, no claims)`, tier: 'hospital', county: c.county, community: ci, township: -1, lead: true, offSite: false });
    for (const f of hospitals) if (commOf[f] === ci && f !== lf) list.add(list.mk(f, 'hospital', ci), f);
    const myTowns = townships.filter((t) => commOf[t] === ci);
    const myVillages = villages.filter((v) => commOf[v] === ci);
    const orphanVillages = myVillages.filter((v) => (townOf.get(v) ?? -1) < 0);
    for (const t of myTowns) {
      const ti = list.add(list.mk(t, 'township', ci), t);
      c.townships.push(ti);
      for (const v of myVillages) if (townOf.get(v) === t) c.villages.push(list.add(list.mk(v, 'village', ci, { township: ti }), v));
    }
    if (myTowns.length === 0) {
      const ti = list.placeholder({ id: `${c.id}-t00`, name: `${c.id} township centre (placeholder, no claims)`, tier: 'township', county: c.county, community: ci, township: -1, lead: false, offSite: false });
      c.townships.push(ti);
      for (const v of orphanVillages) c.villages.push(list.add(list.mk(v, 'village', ci, { township: ti }), v));
    }
  });
}

/** City hospitals, and each county's dual-channel pharmacy (the one of its first pharmacy). */
function outsideCommunities(list: FacilityList, placed: Placed, communities: Community[], counties: Region['counties'], facComm: Map<number, Map<number, number>>): { cityHospitals: number[]; pharmacyOfCounty: number[] } {
  const cityHospitals = placed.byTier(T_CITY).map((f) => list.add(list.mk(f, 'hospital', -1, { city: true }), f));
  const pharmacyOfCounty: number[] = counties.map(() => -1);
  for (const f of placed.byTier(T_PHARMACY)) {
    const votes = new Map<number, number>();
    for (const [ci, c] of facComm.get(f) ?? []) votes.set(communities[ci].county, (votes.get(communities[ci].county) ?? 0) + c);
    const county = argmax(votes);
    const i = list.add({ ...list.mk(f, 'hospital', -1, { pharmacy: true }), county }, f);
    if (county >= 0 && pharmacyOfCounty[county] < 0) pharmacyOfCounty[county] = i;
  }
  return { cityHospitals, pharmacyOfCounty };
}

/** Per person: home village clinic, signed facility, designated hospital, residence; notes on fallbacks. */
function personRoles(e: Enrollment, ft: FacilityTable, list: FacilityList, communities: Community[], personComm: Int32Array, usage: FacilityUsage, notes: string[]): Pick<DataRegion, 'home' | 'signedFac' | 'designated' | 'urban'> {
  const nP = e.n;
  const { facIndex, facilities } = list;
  const { topVillage, topHosp } = usage;
  const home = new Int32Array(nP).fill(-1);
  const signedFac = new Int32Array(nP).fill(-1);
  const designated = new Int32Array(nP).fill(-1);
  const urban = new Uint8Array(nP);
  const villageOfPlace = new Map<string, Map<number, number>>();
  for (let p = 0; p < nP; p++) {
    if (topVillage[p] < 0 || facIndex[topVillage[p]] < 0) continue;
    const key = `${e.county[p]}|${e.township[p]}|${e.village[p]}`;
    let m = villageOfPlace.get(key);
    if (!m) villageOfPlace.set(key, (m = new Map()));
    m.set(facIndex[topVillage[p]], (m.get(facIndex[topVillage[p]]) ?? 0) + 1);
  }
  const firstVillage = (ci: number) => {
    const c = communities[ci];
    if (c.villages.length === 0) c.villages.push(list.placeholder({ id: `${c.id}-v00`, name: `${c.id} village clinic (placeholder, no claims)`, tier: 'village', county: c.county, community: ci, township: c.townships[0], lead: false, offSite: false }));
    return c.villages[0];
  };
  let homesByFallback = 0;
  // Facilities the enrollment names (signed, designated) that no claim and no register places: the
  // person stays, but the reference cannot be honoured — say so rather than drop it silently.
  const unplaced = new Map<number, number>();
  const notPlaced = (code: number) => code >= 0 && facIndex[code] < 0 && unplaced.set(code, (unplaced.get(code) ?? 0) + 1);
  for (let p = 0; p < nP; p++) {
    notPlaced(e.signedFacility[p]);
    notPlaced(e.designated[p]);
    const sf = e.signedFacility[p] >= 0 ? facIndex[e.signedFacility[p]] : -1;
    signedFac[p] = sf;
    urban[p] = e.urban[p] === 1 ? 1 : 0;
    if (sf >= 0 && facilities[sf].tier === 'village') home[p] = sf;
    else if (topVillage[p] >= 0 && facIndex[topVillage[p]] >= 0) home[p] = facIndex[topVillage[p]];
    else {
      const v = argmax(villageOfPlace.get(`${e.county[p]}|${e.township[p]}|${e.village[p]}`));
      home[p] = v >= 0 ? v : firstVillage(personComm[p]);
      homesByFallback++;
    }
    const df = e.designated[p];
    designated[p] = df >= 0 ? facIndex[df] : e.has.designated ? -1 : topHosp[p] >= 0 ? facIndex[topHosp[p]] : -1;
  }
  if (homesByFallback) notes.push(`${homesByFallback.toLocaleString('en-US')} persons have no signed village clinic and no village-clinic claims: their home clinic is their village's most used clinic, else their community's first`);
  if (unplaced.size) {
    const codes = [...unplaced.keys()];
    notes.push(`${codes.length} ${codes.length === 1 ? 'facility' : 'facilities'} named in the enrollment (signed or designated facility) appear in no claim${ft.registered ? ' and not in the register' : ' and no register was given'}, so their tier is unknown and they are not in the region: ${codes.slice(0, 5).map((f) => ft.idOf(f)).join(', ')}${codes.length > 5 ? ', …' : ''} (${[...unplaced.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US')} references). A signed patient's waiver at such a facility, or a designated facility's exemption, cannot apply: give a facility register (--facilities) to place them`);
  }
  return { home, signedFac, designated, urban };
}

/** Blocks: one per township centre with its clinics; each county's residents spread by the persons living there. */
function dataBlocks(facilities: Facility[], communities: Community[], counties: Region['counties'], home: Int32Array, urban: Uint8Array): Block[] {
  const homesAt = new Float64Array(facilities.length);
  const urbanAt = new Float64Array(facilities.length);
  for (let p = 0; p < home.length; p++) {
    homesAt[home[p]]++;
    urbanAt[home[p]] += urban[p];
  }
  const blocks: Block[] = [];
  communities.forEach((c, ci) => {
    for (const t of c.townships) {
      const vs = c.villages.filter((v) => facilities[v].township === t);
      blocks.push({ township: t, community: ci, county: c.county, villages: vs, residents: vs.map(() => 0), urbanShare: 0 });
    }
  });
  counties.forEach((cty, k) => {
    const bs = blocks.filter((b) => b.county === k);
    if (bs.length === 0) return;
    const w = bs.map((b) => b.villages.reduce((a, v) => a + homesAt[v], 0));
    const split = largestRemainderSplit(cty.residents, w.some((x) => x > 0) ? w : w.map(() => 1));
    bs.forEach((b, i) => {
      const vw = b.villages.map((v) => homesAt[v]);
      b.residents = b.villages.length ? largestRemainderSplit(split[i], vw.some((x) => x > 0) ? vw : vw.map(() => 1)) : [];
      const h = b.villages.reduce((a, v) => a + homesAt[v], 0);
      b.urbanShare = h > 0 ? b.villages.reduce((a, v) => a + urbanAt[v], 0) / h : 0;
    });
  });
  return blocks;
}

/**
 * Build the region. `order` is the claims' adjudication order (by person), used to find each
 * person's most used facilities.
 */
export function buildDataRegion(s: ScenarioFile, e: Enrollment, claims: Claims, order: Int32Array, ft: FacilityTable, opts: RegionOptions = {}): DataRegion {
  const notes: string[] = [];
  const { counties, countyNames } = dataCounties(s, e, opts, notes);
  const dc = dataCommunities(e, counties);
  const { communities, personComm } = dc;
  const usage = facilityUsage(claims, order, ft, personComm, e.n);
  const placed = placeFacilities(ft, dc, counties, countyNames, usage.facComm);
  const list = new FacilityList(ft, communities);
  const hospitals = placed.byTier(T_HOSPITAL).filter((f) => placed.commOf[f] >= 0);
  const leadOf = leadHospitals(ft, communities, hospitals, placed.commOf, usage.facComm);
  const townships = placed.byTier(T_TOWNSHIP);
  const villages = placed.byTier(T_VILLAGE);
  const townOf = townshipOfVillages(ft, e, usage, placed, townships, villages);
  layOutCommunities(list, communities, leadOf, hospitals, townships, villages, placed.commOf, townOf);
  const { cityHospitals, pharmacyOfCounty } = outsideCommunities(list, placed, communities, counties, usage.facComm);
  const skipped = Array.from({ length: ft.n }, (_, f) => f).filter((f) => ft.tier[f] >= 0 && placed.inRegion(f) && list.facIndex[f] < 0);
  if (skipped.length) notes.push(`${skipped.length} facilities could not be placed in a community and are left out: ${skipped.slice(0, 5).map((f) => ft.idOf(f)).join(', ')}${skipped.length > 5 ? ', …' : ''}`);
  const roles = personRoles(e, ft, list, communities, personComm, usage, notes);
  // The off-site pseudo-facility, last (as in the synthetic region).
  const facilities = list.facilities;
  const offSiteFacility = facilities.push({ id: 'off-site', name: '异地就医 (off-site)', tier: 'hospital', county: -1, community: -1, township: -1, lead: false, offSite: true }) - 1;
  if (list.placeholders.length) notes.push(`placeholder facilities (no claims) added where a community lacked one: ${list.placeholders.join(', ')}`);
  const blocks = dataBlocks(facilities, communities, counties, roles.home, roles.urban);
  const tierCode = new Uint8Array(facilities.map((f) => TIERS.indexOf(f.tier)));
  return {
    region: {
      name: opts.name ?? `${s.region.name} (replayed data)`,
      counties,
      facilities,
      tierCode,
      communities,
      cityHospitals,
      offSiteFacility,
      pharmacyOfCounty,
      blocks,
      residents: counties.reduce((a, c) => a + c.residents, 0),
    },
    facIndex: list.facIndex,
    ...roles,
    notes,
  };
}
