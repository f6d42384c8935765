import type { RouteFigures } from './api-types.ts';
import { localTime } from './dom.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 64;
const AXIS = 12;

const svg = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  for (const child of children)
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
};

/**
 * A route's trend as a small bar chart, drawn here as SVG (no library, nothing loaded): for each
 * slice of the window, the calls placed (grey) and, over them, those that talked (green). Its
 * numbers are in its label for screen readers, and in each bar's title on hover.
 */
export const trendChart = (route: RouteFigures): SVGSVGElement => {
  const slices = route.reach.trend;
  const most = Math.max(1, ...slices.map((slice) => slice.placed));
  const barWidth = WIDTH / Math.max(1, slices.length);
  const scale = (count: number) => ((HEIGHT - AXIS) * count) / most;
  const placed = slices.reduce((sum, slice) => sum + slice.placed, 0);
  const talked = slices.reduce((sum, slice) => sum + slice.talked, 0);
  const label = `${route.route}: ${placed} placed, ${talked} talked, from ${localTime(new Date(slices[0]?.from ?? Date.now()))}`;
  return svg(
    'svg',
    {
      class: 'trend',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': label,
      'data-route': route.route,
    },
    svg('title', {}, label),
    ...slices.flatMap((slice, i) => {
      const x = i * barWidth + 1;
      const w = Math.max(1, barWidth - 2);
      const title = `${localTime(new Date(slice.from))}: ${slice.placed} placed, ${slice.talked} talked`;
      return [
        svg(
          'rect',
          {
            class: 'placed',
            x,
            y: HEIGHT - AXIS - scale(slice.placed),
            width: w,
            height: scale(slice.placed),
          },
          svg('title', {}, title),
        ),
        svg('rect', {
          class: 'talked',
          x,
          y: HEIGHT - AXIS - scale(slice.talked),
          width: w,
          height: scale(slice.talked),
        }),
      ];
    }),
    svg('line', { x1: 0, x2: WIDTH, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS, stroke: '#6b7580' }),
    svg('text', { x: 0, y: HEIGHT - 1 }, 'older'),
    svg('text', { x: WIDTH, y: HEIGHT - 1, 'text-anchor': 'end' }, 'now'),
    svg('text', { x: WIDTH, y: 9, 'text-anchor': 'end' }, `max ${most}`),
  );
};
