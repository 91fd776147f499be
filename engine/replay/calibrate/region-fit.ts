/**
 * The region and signing fitted to the data (docs/replay.md, "Calibrate"): the data's counties with
 * their residents and medical communities, township centres and village clinics, city hospitals (as
 * replay builds the region); each county's urban share of patients; the signing share; the share of
 * patients whose hospital is a city hospital.
 */
import { at } from '../../params/param.ts';
import type { ScenarioFile } from '../../params/schema.ts';
import type { Enrollment } from '../enrollment.ts';
import { shareEstimate } from '../estimate.ts';
import type { DataRegion } from '../region.ts';
import { sig, type ParamBook } from './book.ts';
import type { DataCohort } from './cohort.ts';

export interface RegionFit {
  region: Record<string, unknown>;
  signedShare: Record<string, unknown>;
  persons: number;
}

export function fitRegion(dr: DataRegion, e: Enrollment, c: DataCohort, base: ScenarioFile, book: ParamBook, notes: string[]): RegionFit {
  const region = dr.region;
  const facs = region.facilities;
  let persons = 0;
  let signed = 0;
  let withHosp = 0;
  let cityHosp = 0;
  for (let p = 0; p < e.n; p++) {
    if (c.pyears[p] === 0) continue;
    persons++;
    signed += e.signed[p];
    const h = dr.designated[p];
    if (h >= 0 && facs[h].tier === 'hospital' && !facs[h].offSite && !facs[h].pharmacy) {
      withHosp++;
      if (facs[h].city) cityHosp++;
    }
  }
  // Each county's urban share of its patients (the synthesis draws a patient urban with it).
  const countyUrban = region.counties.map(() => [0, 0]);
  for (let p = 0; p < e.n; p++) {
    if (c.pyears[p] === 0) continue;
    const cty = facs[dr.home[p]].county;
    if (cty >= 0 && e.urban[p] >= 0) countyUrban[cty][e.urban[p]]++;
  }
  const baseCounties = base.region.counties;
  const baseResidents = baseCounties.reduce((a, k) => a + k.residents, 0);
  const templateUrban = baseCounties.reduce((a, k) => a + k.urbanShare * k.residents, 0) / baseResidents;
  const counties = region.counties.map((cty, k) => {
    const [r, u] = countyUrban[k];
    const sc = baseCounties.find((x) => x.id === cty.id);
    let urbanShare: number;
    if (r + u > 0) {
      const est = shareEstimate(u, r + u);
      urbanShare = sig(est.value, 4);
      book.lines.push({ path: `region.counties.${cty.id}.urbanShare`, status: 'fitted', unit: 'share', estimate: est.value, se: est.se, n: est.n });
    } else {
      urbanShare = sc?.urbanShare ?? sig(templateUrban, 4);
      const why = e.has.residence ? `no patient of known residence in ${cty.id}` : 'the enrollment has no urban/rural residence';
      book.keptAsIs(`region.counties.${cty.id}.urbanShare`, sc ? why : `${why}; the template's resident-weighted share`, 'share');
    }
    const communities = region.communities.filter((m) => m.county === k).length;
    return { id: cty.id, name: cty.name, residents: Math.max(1, cty.residents), urbanShare, communities: Math.max(1, communities) };
  });
  if (!e.has.residence) notes.push("the enrollment has no urban/rural residence: the counties' urban shares and tierPreference.urban are kept from the template; patients' visits count as rural");
  const nTown = facs.filter((f) => f.tier === 'township').length;
  const nVill = facs.filter((f) => f.tier === 'village').length;
  const city = shareEstimate(cityHosp, withHosp);
  const signedEst = shareEstimate(signed, persons);
  return {
    persons,
    region: {
      name: `${base.region.name} — calibrated region`,
      counties,
      residentsPerTownship: Math.max(1000, Math.round(region.residents / Math.max(1, nTown))),
      villagesPerTownship: Math.min(100, Math.max(1, Math.round(nVill / Math.max(1, nTown)))),
      cityHospitals: region.cityHospitals.length,
      dualChannelPharmacies: facs.some((f) => f.pharmacy) || base.region.dualChannelPharmacies,
      cityHospitalShare:
        withHosp > 0
          ? book.fitted('region.cityHospitalShare', 'share', withHosp, 'patients with a hospital', sig(city.value), { '': city })
          : book.kept('region.cityHospitalShare', base.region.cityHospitalShare as { unit?: string; source?: string }, 'no patient with a hospital in the data', at(base.region.cityHospitalShare, c.y0)),
    },
    signedShare: book.fitted('population.signedShare', 'share', persons, 'registered patients', sig(signedEst.value), { '': signedEst }),
  };
}
