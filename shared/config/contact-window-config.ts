import * as z from 'zod';

/** The longest contact window a route may set: a week, past which a "duplicate" is a new lead. */
export const MAX_CONTACT_WINDOW_MINUTES = 10_080;

const GroupName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and -');

/**
 * A route's part in a contact window (issue 26, "one call per person across sources"): the
 * routes of one `group` ring a person once per `contact_window_minutes`, whichever of them the
 * events come in on. Kept apart from the route schema so that it reads as one feature.
 */
export const CONTACT_WINDOW_FIELDS = {
  group: GroupName.optional().describe(
    'Routes sharing a group ring one person once per contact_window_minutes: a second event for the same number on any of them within the window is "skipped: duplicate_contact", linked to the first call.',
  ),
  contact_window_minutes: z
    .number()
    .int()
    .min(1)
    .max(MAX_CONTACT_WINDOW_MINUTES)
    .optional()
    .describe(
      "The group's contact window, in minutes; required with group, and the same on every route of the group.",
    ),
};

interface WindowedRoute {
  group?: string | undefined;
  contact_window_minutes?: number | undefined;
}

/**
 * The rules across routes: a group needs its window, a window its group, and the routes of one
 * group agree on it. One window per group, not per route: otherwise whether a second event is a
 * duplicate would depend on which of the two routes it came in on. And no window outlives the
 * records (`retention_days`): the call that holds it would be gone before it ends.
 */
export const contactWindowIssues = (
  routes: Record<string, WindowedRoute>,
  retentionDays: number,
): { path: (string | number)[]; message: string }[] => {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const firstOfGroup = new Map<string, { name: string; minutes: number }>();
  for (const [name, route] of Object.entries(routes)) {
    const { group, contact_window_minutes: minutes } = route;
    if (group === undefined && minutes !== undefined) {
      issues.push({
        path: ['routes', name, 'group'],
        message: '"contact_window_minutes" needs a "group": the routes the window spans',
      });
    }
    if (group === undefined) continue;
    if (minutes === undefined) {
      issues.push({
        path: ['routes', name, 'contact_window_minutes'],
        message: `a route in group "${group}" needs "contact_window_minutes"`,
      });
      continue;
    }
    if (minutes > retentionDays * 1440) {
      issues.push({
        path: ['routes', name, 'contact_window_minutes'],
        message: `at most retention_days (${retentionDays}) × 1440 minutes: the call that holds the window is kept no longer`,
      });
    }
    const first = firstOfGroup.get(group);
    if (first === undefined) firstOfGroup.set(group, { name, minutes });
    else if (first.minutes !== minutes) {
      issues.push({
        path: ['routes', name, 'contact_window_minutes'],
        message: `the routes of group "${group}" share one window: "${first.name}" has ${first.minutes}, this one ${minutes}`,
      });
    }
  }
  return issues;
};
