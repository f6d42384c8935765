import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import {
  DEPLOYMENTS,
  type Deployment,
  FIXED_COST_BEGIN,
  FIXED_COST_DOC,
  FIXED_COST_END,
  fixedCostColumn,
  fixedCostHeader,
  fixedCostLabels,
  type PricedDeployment,
  priceDeployment,
} from '../../bench/fixed-cost.ts';
import { countFixedItems } from '../../bench/fixed-pricing.ts';
import { PRICES } from '../../bench/prices.ts';

/** The fixed-cost table as `FIXED_COST_DOC` shows it, between its markers. */
export interface DocumentedFixedCost {
  header: string[];
  /** Each row's first two cells: the item and its price. */
  labels: [string, string][];
  /** A deployment's column, top to bottom. */
  column: (deployment: Deployment) => string[];
  /** A deployment's cell in the row whose item starts with `item`. */
  cell: (deployment: Deployment, item: string) => string;
}

const cellsOf = (line: string) =>
  line
    .trim()
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());

export const documentedFixedCost = (): DocumentedFixedCost => {
  const doc = readFileSync(FIXED_COST_DOC, 'utf8');
  const begin = doc.indexOf(FIXED_COST_BEGIN);
  const end = doc.indexOf(FIXED_COST_END);
  if (begin === -1 || end < begin) throw new Error(`${FIXED_COST_DOC} has no fixed-cost block`);
  const [header = [], , ...rows] = doc
    .slice(begin + FIXED_COST_BEGIN.length, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map(cellsOf);
  const index = (deployment: Deployment) => {
    const at = header.indexOf(DEPLOYMENTS[deployment].heading);
    if (at === -1) throw new Error(`${FIXED_COST_DOC}'s table has no column for ${deployment}`);
    return at;
  };
  return {
    header,
    labels: rows.map((cells) => [cells[0] ?? '', cells[1] ?? '']),
    column: (deployment) => rows.map((cells) => cells[index(deployment)] ?? ''),
    cell: (deployment, item) => {
      const row = rows.find((cells) => cells[0]?.startsWith(item));
      if (row === undefined) throw new Error(`${FIXED_COST_DOC}'s table has no row ${item}`);
      return row[index(deployment)] ?? '';
    },
  };
};

/**
 * Holds `deployment`'s column of the docs' table to what the templates of that deployment hold,
 * priced by the bench's own functions: a test that synthesizes the deployment's settings calls
 * it, so the table costs no synthesis of its own. `npm run bench:fixed-cost` rewrites the table.
 */
export const expectDocumentedFixedCost = (
  deployment: Deployment,
  templates: object[],
  routes: number,
): PricedDeployment => {
  const priced = priceDeployment(countFixedItems(templates as never), routes);
  const documented = documentedFixedCost();
  const stale = `${FIXED_COST_DOC}: run npm run bench:fixed-cost`;
  expect(documented.column(deployment), stale).toEqual(fixedCostColumn(priced));
  if (deployment === 'nat-gateway') {
    expect(documented.header, stale).toEqual(fixedCostHeader(PRICES));
    expect(documented.labels, stale).toEqual(fixedCostLabels(priced));
  }
  return priced;
};
