import type { App } from '../app';
import type { Project } from '../auth/credentials';
import { getException, getExceptionBySeq, type StoredException } from '../events/store';
import type { SymbolicatedFrame } from '../symbolication/resolve-frame';
import type { InboxAccess, Viewer } from './access';
import type { IssueIndex, IssueRow } from './issue-index';
import { releaseView, symbolSetView } from './release-views';
import {
  environmentOf,
  exceptionsOf,
  exceptionTitle,
  frameView,
  handledOf,
  parseGroupingFrame,
  type ReleaseRef,
  releaseIdOf,
  releaseRef,
  runtimeOf,
  urlOf,
} from './views';

/** A JSON answer: status and body. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface InboxApiDeps {
  app: App;
  access: InboxAccess;
  index: IssueIndex;
  symbolicate(projectId: number, frames: readonly unknown[]): SymbolicatedFrame[];
}

const DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISSUE_PAGE = 50;
const ISSUE_EVENTS = 50;
const SET_PAGE = 100;

function error(status: number, code: string, detail: string): ApiAnswer {
  return { status, body: { type: 'invalid_request', code, detail } };
}

function intParam(url: URL, name: string, fallback: number, max: number): number {
  const raw = url.searchParams.get(name);
  const value = raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : fallback;
  return Math.min(value, max);
}

/** The inbox's JSON API (`/inbox/api/…`), for a viewer already let in. */
export function createInboxApi(deps: InboxApiDeps) {
  const { app, access, index } = deps;

  function pickProject(viewer: Viewer, url: URL): { project: Project; projects: Project[] } | ApiAnswer {
    const projects = access.projects(viewer);
    const raw = url.searchParams.get('project');
    const project = raw === null ? projects[0] : projects.find((p) => String(p.id) === raw);
    if (!project) return error(404, 'not_found', 'No such project, or this key may not read it.');
    return { project, projects };
  }

  function context(project: Project, projects: Project[]) {
    return {
      project: { id: project.id, name: project.name, token: project.token },
      projects: projects.map((p) => ({ id: p.id, name: p.name })),
      login: access.requireLogin,
    };
  }

  const releaseCache = () => {
    const seen = new Map<string, ReleaseRef | null>();
    return (projectId: number, id: string | null): ReleaseRef | null => {
      if (id === null) return null;
      if (!seen.has(id)) seen.set(id, releaseRef(app.releases.get(projectId, id)));
      return seen.get(id) ?? null;
    };
  };

  function dayList(): string[] {
    const today = Math.floor(app.clock() / DAY_MS) * DAY_MS;
    return Array.from({ length: DAYS }, (_, i) =>
      new Date(today - (DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10),
    );
  }

  function summary(
    projectId: number,
    row: IssueRow,
    latest: StoredException,
    release: ReturnType<typeof releaseCache>,
    daily: Map<string, number> | undefined,
    days: string[],
  ) {
    const main = exceptionTitle(latest.properties);
    const entry = index.entry(projectId, latest.seq);
    const { properties } = latest;
    return {
      id: row.fingerprint,
      type: main.type,
      message: main.value,
      count: row.count,
      first_seen: row.first_seen,
      last_seen: row.last_seen,
      latest_event_id: latest.uuid,
      release: release(projectId, releaseIdOf(properties)),
      environment: environmentOf(properties),
      runtime: runtimeOf(properties),
      frame: parseGroupingFrame(entry?.frame ?? null),
      pending_chunk: entry?.pending_chunk ?? null,
      daily: days.map((day) => ({ day, count: daily?.get(day) ?? 0 })),
    };
  }

  function issues(viewer: Viewer, url: URL): ApiAnswer {
    const picked = pickProject(viewer, url);
    if ('status' in picked) return picked;
    const { project } = picked;
    index.refresh(project.id);
    const releaseId = url.searchParams.get('release') || undefined;
    const search = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
    const offset = intParam(url, 'offset', 0, 1e9);
    const { count, rows } = index.list(project.id, {
      search,
      releaseId,
      limit: intParam(url, 'limit', ISSUE_PAGE, 100),
      offset,
    });
    const days = dayList();
    const daily = index.dailyCounts(project.id, days[0]!, releaseId);
    const release = releaseCache();
    const results = rows.flatMap((row) => {
      const latest = getExceptionBySeq(app.db, project.id, row.latest_seq);
      return latest ? [summary(project.id, row, latest, release, daily.get(row.fingerprint), days)] : [];
    });
    const releases = app.releases.list(project.id, { limit: 200, offset: 0 }).rows.map((r) => releaseRef(r)!);
    return {
      status: 200,
      body: { ...context(project, picked.projects), count, offset, results, releases },
    };
  }

  function eventSummary(exception: StoredException, release: ReturnType<typeof releaseCache>) {
    const title = exceptionTitle(exception.properties);
    return {
      id: exception.uuid,
      timestamp: exception.timestamp,
      message: title.value,
      url: urlOf(exception.properties),
      runtime: runtimeOf(exception.properties),
      release: release(exception.projectId, releaseIdOf(exception.properties)),
      handled: handledOf(exception),
    };
  }

  function issue(viewer: Viewer, url: URL, fingerprint: string): ApiAnswer {
    const picked = pickProject(viewer, url);
    if ('status' in picked) return picked;
    const { project } = picked;
    index.refresh(project.id);
    const row = index.get(project.id, fingerprint);
    if (!row) return error(404, 'not_found', 'No such issue in this project.');
    const wanted = url.searchParams.get('event');
    let event = getExceptionBySeq(app.db, project.id, row.latest_seq);
    if (wanted) {
      const chosen = getException(app.db, project.id, wanted);
      if (!chosen || index.entry(project.id, chosen.seq)?.fingerprint !== fingerprint) {
        return error(404, 'not_found', 'No such event in this issue.');
      }
      event = chosen;
    }
    if (!event) return error(404, 'not_found', 'No such issue in this project.');
    const release = releaseCache();
    const days = dayList();
    const hasSet = (chunkId: string) => app.symbolSets.getByRef(project.id, chunkId)?.content_hash != null;
    const exceptions = exceptionsOf(event.properties).map((exception) => ({
      type: exception.type,
      value: exception.value,
      // Crash site first, as a JavaScript stack reads.
      frames: deps
        .symbolicate(project.id, exception.frames)
        .map((frame) => frameView(frame, hasSet))
        .reverse(),
    }));
    const { $exception_list: _, ...properties } = event.properties;
    const releaseId = releaseIdOf(event.properties);
    const others = index.eventSeqs(project.id, fingerprint, ISSUE_EVENTS).flatMap((seq) => {
      const other = getExceptionBySeq(app.db, project.id, seq);
      return other ? [eventSummary(other, release)] : [];
    });
    return {
      status: 200,
      body: {
        ...context(project, picked.projects),
        issue: summary(
          project.id,
          row,
          event,
          release,
          index.dailyCounts(project.id, days[0]!).get(fingerprint),
          days,
        ),
        event: {
          ...eventSummary(event, release),
          distinct_id: event.distinctId,
          received_at: event.receivedAt,
          release_id: releaseId,
          exceptions,
          properties,
        },
        events: others,
      },
    };
  }

  function releases(viewer: Viewer, url: URL): ApiAnswer {
    const picked = pickProject(viewer, url);
    if ('status' in picked) return picked;
    const { project } = picked;
    index.refresh(project.id);
    const { rows, count } = app.releases.list(project.id, { limit: 200, offset: 0 });
    const sets = app.symbolSets.countByRelease(project.id);
    const exceptions = index.countByRelease(project.id);
    const results = rows.map((row) => releaseView(row, sets.get(row.id), exceptions.get(row.id)));
    return { status: 200, body: { ...context(project, picked.projects), count, results } };
  }

  function symbolSets(viewer: Viewer, url: URL): ApiAnswer {
    const picked = pickProject(viewer, url);
    if ('status' in picked) return picked;
    const { project } = picked;
    const releaseParam = url.searchParams.get('release');
    const releaseId = releaseParam === 'none' ? null : releaseParam || undefined;
    const offset = intParam(url, 'offset', 0, 1e9);
    const { items, count } = app.symbolSets.list(
      project.id,
      { status: 'all', orderBy: '-created_at', releaseId },
      { limit: SET_PAGE, offset },
      true,
    );
    const results = items.map(({ row, release }) => symbolSetView(app, row, release));
    const filter =
      releaseId === undefined
        ? null
        : releaseId === null
          ? { id: 'none', label: 'unbound' }
          : releaseRef(app.releases.get(project.id, releaseId));
    return {
      status: 200,
      body: {
        ...context(project, picked.projects),
        count,
        offset,
        limit: SET_PAGE,
        release: filter,
        status_counts: app.symbolSets.countByStatus(project.id, releaseId),
        results,
      },
    };
  }

  return {
    /** The project a request names (`?project=`, else the viewer's first), or the error to answer. */
    project(viewer: Viewer, url: URL): Project | ApiAnswer {
      const picked = pickProject(viewer, url);
      return 'status' in picked ? picked : picked.project;
    },

    /** Answers a GET under `/inbox/api/`, or undefined for an unknown path. */
    answer(viewer: Viewer, path: string, url: URL): ApiAnswer | undefined {
      if (path === 'issues') return issues(viewer, url);
      const issueMatch = /^issues\/([0-9a-f]{32})$/.exec(path);
      if (issueMatch) return issue(viewer, url, issueMatch[1]!);
      if (path === 'releases') return releases(viewer, url);
      if (path === 'symbol-sets') return symbolSets(viewer, url);
      return undefined;
    },
  };
}

export type InboxApi = ReturnType<typeof createInboxApi>;
