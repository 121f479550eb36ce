/**
 * A second real weak-supervision task for the label-model benchmark: "is this movie highly rated"
 * (IMDB rating >= 7.0) on vega-datasets' `movies.json` (3,201 films; the 2,988 with an IMDB
 * rating are used). The gold label is held out; the LFs look only at other columns: the Rotten
 * Tomatoes score (another rater, i.e. another model's output), popularity, genre, running time,
 * box office vs budget, title, and lookups of directors and distributors.
 * The LFs and their thresholds were written once from general film knowledge, before any
 * accuracy was measured, and were not changed after (never tuned on either split).
 * BAD = 0, GOOD = 1.
 */
import { readFile } from 'node:fs/promises';
import { labelingFunction } from '../lf.js';
import { ABSTAIN } from '../types.js';

/** Class ids. */
export const BAD = 0;
export const GOOD = 1;
/** IMDB rating at or above which a movie is GOOD (the gold label). */
export const GOOD_RATING = 7;

/** One film (the columns the LFs read). */
export interface Movie {
  readonly title: string;
  readonly rt: number | null;
  readonly votes: number | null;
  readonly genre: string | null;
  readonly minutes: number | null;
  readonly budget: number | null;
  readonly gross: number | null;
  readonly source: string | null;
  readonly director: string | null;
  readonly distributor: string | null;
}

/** Directors widely regarded as acclaimed (general knowledge; a lookup-table LF). */
export const ACCLAIMED_DIRECTORS = new Set([
  'Steven Spielberg',
  'Martin Scorsese',
  'Stanley Kubrick',
  'Christopher Nolan',
  'Quentin Tarantino',
  'Clint Eastwood',
  'Peter Jackson',
  'David Fincher',
  'Joel Coen',
  'Ethan Coen',
  'Alfred Hitchcock',
  'Francis Ford Coppola',
  'Sam Mendes',
  'Brad Bird',
  'Andrew Stanton',
  'Pete Docter',
  'John Lasseter',
  'Wes Anderson',
  'Paul Thomas Anderson',
  'Danny Boyle',
  'Ang Lee',
  'Darren Aronofsky',
  'Guillermo del Toro',
  'Alfonso Cuaron',
  'Ridley Scott',
  'James Cameron',
  'Frank Darabont',
  'Milos Forman',
  'Sidney Lumet',
  'Woody Allen',
  'Hayao Miyazaki',
  'Sergio Leone',
  'Akira Kurosawa',
  'Terrence Malick',
  'Spike Jonze',
  'Alexander Payne',
  'Curtis Hanson',
  'Michael Mann',
  'Bryan Singer',
  'Rob Reiner',
]);

/** Arthouse distributors (their releases skew to critically rated films). */
export const ARTHOUSE_DISTRIBUTORS = new Set([
  'Sony Pictures Classics',
  'Fox Searchlight',
  'Focus Features',
  'Miramax',
  'Paramount Vantage',
  'Fine Line',
  'Magnolia Pictures',
  'IFC Films',
  'Weinstein Co.',
]);

/** Genre-film distributors (horror and teen comedy labels). */
export const GENRE_DISTRIBUTORS = new Set([
  'Dimension Films',
  'Miramax/Dimension',
  'Sony/Screen Gems',
]);

const lf = (name: string, fn: (m: Movie) => number) => labelingFunction({ name }, fn);

/** The 15 labeling functions. */
export const movieLfs = [
  lf('rt_high', (m) => (m.rt !== null && m.rt >= 80 ? GOOD : ABSTAIN)),
  lf('rt_low', (m) => (m.rt !== null && m.rt <= 40 ? BAD : ABSTAIN)),
  lf('many_votes', (m) => (m.votes !== null && m.votes >= 100_000 ? GOOD : ABSTAIN)),
  lf('few_votes', (m) => (m.votes !== null && m.votes < 5_000 ? BAD : ABSTAIN)),
  lf('documentary', (m) => (m.genre === 'Documentary' ? GOOD : ABSTAIN)),
  lf('horror', (m) => (m.genre === 'Horror' ? BAD : ABSTAIN)),
  lf('romantic_comedy', (m) => (m.genre === 'Romantic Comedy' ? BAD : ABSTAIN)),
  lf('long_film', (m) => (m.minutes !== null && m.minutes >= 140 ? GOOD : ABSTAIN)),
  lf('short_film', (m) => (m.minutes !== null && m.minutes <= 90 ? BAD : ABSTAIN)),
  lf('box_office_hit', (m) =>
    m.gross !== null && m.budget !== null && m.budget > 0 && m.gross >= 4 * m.budget
      ? GOOD
      : ABSTAIN,
  ),
  lf('box_office_flop', (m) =>
    m.gross !== null && m.budget !== null && m.budget > 0 && m.gross < 0.5 * m.budget
      ? BAD
      : ABSTAIN,
  ),
  lf('acclaimed_director', (m) =>
    m.director !== null && ACCLAIMED_DIRECTORS.has(m.director) ? GOOD : ABSTAIN,
  ),
  lf('arthouse_distributor', (m) =>
    m.distributor !== null && ARTHOUSE_DISTRIBUTORS.has(m.distributor) ? GOOD : ABSTAIN,
  ),
  lf('genre_distributor', (m) =>
    m.distributor !== null && GENRE_DISTRIBUTORS.has(m.distributor) ? BAD : ABSTAIN,
  ),
  lf('sequel_title', (m) => (/\b(?:2|3|4|II|III|IV)\b|\bPart\b/.test(m.title) ? BAD : ABSTAIN)),
];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Reads `movies.json` (pass its path); keeps films with an IMDB rating, in file order. */
export async function loadMovies(path: string): Promise<{ movies: Movie[]; gold: Int32Array }> {
  const rows = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
  const kept = rows.filter((r) => num(r['IMDB Rating']) !== null);
  const movies = kept.map((r): Movie => ({
    title: String(r['Title'] ?? ''),
    rt: num(r['Rotten Tomatoes Rating']),
    votes: num(r['IMDB Votes']),
    genre: str(r['Major Genre']),
    minutes: num(r['Running Time min']),
    budget: num(r['Production Budget']),
    gross: num(r['Worldwide Gross']),
    source: str(r['Source']),
    director: str(r['Director']),
    distributor: str(r['Distributor']),
  }));
  const gold = Int32Array.from(kept, (r) => (num(r['IMDB Rating'])! >= GOOD_RATING ? GOOD : BAD));
  return { movies, gold };
}
