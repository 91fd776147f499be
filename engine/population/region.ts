/**
 * The region's structure, built deterministically from the scenario (no randomness): counties →
 * medical communities (a lead hospital, township centres, village clinics) plus city hospitals,
 * and one off-site pseudo-facility for care outside the pooling region.
 *
 * A *block* is one township centre's catchment (its villages' residents). Blocks are the unit of
 * random streams: block b of replication r always draws from stream (seed, r, b), whichever worker
 * simulates it and however blocks are batched into tasks.
 */
import { largestRemainderSplit } from '../money/split.ts';
import { at } from '../params/param.ts';
import { regionScale, scaledCount } from '../params/scale.ts';
import { TIERS, type ScenarioFile, type Tier } from '../params/schema.ts';

export const TIER_VILLAGE = 0;
export const TIER_TOWNSHIP = 1;
export const TIER_HOSPITAL = 2;

export interface Facility {
  /** Stable id, e.g. `wanzhi-1-t03-v05`. */
  id: string;
  name: string;
  tier: Tier;
  /** Index into `region.counties`, or -1 for city hospitals and the off-site pseudo-facility. */
  county: number;
  /** Index into `region.communities`, or -1. */
  community: number;
  /** For a village clinic, the facility index of its township centre; else -1. */
  township: number;
  /** The community's lead hospital (牵头医院). */
  lead: boolean;
  /** The pseudo-facility standing for all care outside the pooling region. */
  offSite: boolean;
  /** A level-2+ city hospital (outside the communities). */
  city?: boolean;
  /** A dual-channel (双通道) designated pharmacy, settled like a designated facility at the hospital tier. */
  pharmacy?: boolean;
}

export interface Community {
  id: string;
  county: number;
  /** Facility index of the lead hospital. */
  lead: number;
  townships: number[];
  villages: number[];
}

export interface Block {
  /** Facility index of the township centre whose catchment this is. */
  township: number;
  community: number;
  county: number;
  /** Facility indices of its village clinics and their residents (all residents, insured or not). */
  villages: number[];
  residents: number[];
  urbanShare: number;
}

export interface Region {
  name: string;
  counties: { id: string; name: string; residents: number }[];
  facilities: Facility[];
  /** Tier code per facility (0 village, 1 township, 2 hospital). */
  tierCode: Uint8Array;
  communities: Community[];
  cityHospitals: number[];
  offSiteFacility: number;
  /** Facility index of each county's dual-channel pharmacy (-1 when none). */
  pharmacyOfCounty: number[];
  blocks: Block[];
  residents: number;
}

/** Build the region of a scenario. Same scenario → same region, facility for facility. */
export function buildRegion(s: ScenarioFile): Region {
  const facilities: Facility[] = [];
  const communities: Community[] = [];
  const blocks: Block[] = [];
  const add = (f: Facility) => facilities.push(f) - 1;
  const { residentsPerTownship, villagesPerTownship } = s.region;

  // region.scale multiplies the people, never the structure: townships are counted from the
  // residents as written, and the residents as run (scaled) are split over them (params/scale.ts).
  const scale = regionScale(s);
  const residentsRun = s.region.counties.map((c) => scaledCount(c.residents, scale));
  s.region.counties.forEach((c, ci) => {
    const perCommunity = largestRemainderSplit(c.residents, new Array(c.communities).fill(1));
    const perCommunityRun = scale === 1 ? perCommunity : largestRemainderSplit(residentsRun[ci], new Array(c.communities).fill(1));
    perCommunity.forEach((res, k) => {
      const cid = `${c.id}-${k + 1}`;
      const lead = add({ id: `${cid}-lead`, name: `${c.name}${c.communities > 1 ? `第${k + 1}` : ''}医共体牵头医院`, tier: 'hospital', county: ci, community: communities.length, township: -1, lead: true, offSite: false });
      const comm: Community = { id: cid, county: ci, lead, townships: [], villages: [] };
      const nT = Math.max(1, Math.round(res / residentsPerTownship));
      const perTownship = largestRemainderSplit(perCommunityRun[k], new Array(nT).fill(1));
      perTownship.forEach((tres, t) => {
        const tid = `${cid}-t${String(t + 1).padStart(2, '0')}`;
        const township = add({ id: tid, name: `${c.name}乡镇卫生院${t + 1}`, tier: 'township', county: ci, community: communities.length, township: -1, lead: false, offSite: false });
        comm.townships.push(township);
        const villages: number[] = [];
        for (let v = 0; v < villagesPerTownship; v++) {
          villages.push(add({ id: `${tid}-v${String(v + 1).padStart(2, '0')}`, name: `${c.name}卫生院${t + 1}村卫生室${v + 1}`, tier: 'village', county: ci, community: communities.length, township, lead: false, offSite: false }));
        }
        comm.villages.push(...villages);
        blocks.push({ township, community: communities.length, county: ci, villages, residents: largestRemainderSplit(tres, new Array(villagesPerTownship).fill(1)), urbanShare: c.urbanShare });
      });
      communities.push(comm);
    });
  });
  const cityHospitals: number[] = [];
  for (let h = 0; h < s.region.cityHospitals; h++) {
    cityHospitals.push(add({ id: `city-h${h + 1}`, name: `市级二级及以上医院${h + 1}`, tier: 'hospital', county: -1, community: -1, township: -1, lead: false, offSite: false, city: true }));
  }
  // One dual-channel pharmacy per county, when the scenario has them (after the city hospitals, so
  // scenarios without pharmacies keep their facility indices).
  const pharmacyOfCounty: number[] = s.region.counties.map(() => -1);
  if (s.region.dualChannelPharmacies) {
    s.region.counties.forEach((c, ci) => {
      pharmacyOfCounty[ci] = add({ id: `${c.id}-pharmacy`, name: `${c.name}双通道药店`, tier: 'hospital', county: ci, community: -1, township: -1, lead: false, offSite: false, pharmacy: true });
    });
  }
  const offSiteFacility = add({ id: 'off-site', name: '异地就医 (off-site)', tier: 'hospital', county: -1, community: -1, township: -1, lead: false, offSite: true });
  const tierCode = new Uint8Array(facilities.map((f) => TIERS.indexOf(f.tier)));
  return {
    name: s.region.name,
    counties: s.region.counties.map((c, ci) => ({ id: c.id, name: c.name, residents: residentsRun[ci] })),
    facilities,
    tierCode,
    communities,
    cityHospitals,
    offSiteFacility,
    pharmacyOfCounty,
    blocks,
    residents: residentsRun.reduce((a, r) => a + r, 0),
  };
}

/** Insured residents in simulated year `yi` relative to the horizon's first (`h0`): Π (1 + enrollmentTrend) over the years after it. */
export function enrolmentFactor(s: ScenarioFile, years: number[], h0: number, yi: number): number {
  let f = 1;
  for (let k = h0 + 1; k <= yi; k++) f *= 1 + at(s.population.enrollmentTrend, years[k]);
  return f;
}

/** Insured residents (enrollees) of each year of the horizon: residents × insured share × enrolment trend. */
export function enrolleesByYear(s: ScenarioFile, region: Region, years: number[]): number[] {
  let n = region.residents * at(s.region.insuredShare, years[0]);
  return years.map((y, i) => {
    if (i > 0) n *= 1 + at(s.population.enrollmentTrend, y);
    return Math.round(n);
  });
}

/** Community flags (1 = in the pilot) for a capitation model's `pilotCounties` (default: all). */
export function pilotCommunities(region: Region, counties: string[] | undefined): Uint8Array {
  const flag = new Uint8Array(region.communities.length);
  region.communities.forEach((c, i) => {
    flag[i] = counties === undefined || counties.includes(region.counties[c.county].id) ? 1 : 0;
  });
  return flag;
}
