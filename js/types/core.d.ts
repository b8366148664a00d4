// Generated from the Rust types by src/typescript.rs (UPDATE_TYPES=1 cargo test --lib typescript).
// Do not edit: change the Rust type and regenerate.

export type Status = "Pending" | "Running" | "Completed" | "Failed" | "Cached" | "Canceled" | "Unknown";

export type EndSource = "none" | "lastUpdate" | "events";

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type PropertyRole = "parameter" | "metric" | "git" | "bookkeeping";

export type TypedProperty = {
/**
 * Property name.
 */
name: string,
/**
 * True for a custom property (`is_custom_property = 1`).
 */
custom: boolean,
/**
 * The value kind (see [`Value::kind`]).
 */
kind: string,
/**
 * The value.
 */
value: JsonValue,
/**
 * What it is for (execution properties; `parameter` elsewhere).
 */
role: PropertyRole,
/**
 * The JSON object or array a string value holds (TFX's `train_args`,
 * `custom_config`; see [`crate::conventions::json_container`]), shown folded; absent
 * for any other value.
 */
json?: JsonValue,
};

export type Properties = {
/**
 * Declared properties (`is_custom_property = 0`), by name.
 */
properties: { [key in string]: JsonValue },
/**
 * Custom properties (`is_custom_property = 1`), by name.
 */
customProperties: { [key in string]: JsonValue },
};

export type ExecutionRow = {
/**
 * `Execution.id`.
 */
id: number,
/**
 * The name shown ([`crate::conventions::display_name`]): `Execution.name`; for cmflib
 * (which leaves it NULL) and for a UUID name (TFX) `<stage>_<short uuid>`.
 */
name: string,
/**
 * The execution type's short name ([`crate::conventions::short_type_name`]:
 * `Trainer` for `tfx.components.trainer.component.Trainer`).
 */
type: string,
/**
 * Pipeline name ("" when the store records none).
 */
pipeline: string,
/**
 * Stage name within the pipeline ("" when the store records none).
 */
stage: string,
/**
 * Status label.
 */
status: Status,
/**
 * Raw `last_known_state` (null when never recorded).
 */
state: number | null,
/**
 * Start time, UTC ISO 8601.
 */
started: string | null,
/**
 * Start time, epoch ms.
 */
startedMs: number | null,
/**
 * End time (the last update of a finished execution), UTC ISO 8601.
 */
ended: string | null,
/**
 * End time, epoch ms.
 */
endedMs: number | null,
/**
 * `ended - started` in ms, when both are known.
 */
durationMs: number | null,
/**
 * Full git commit the execution ran ("" when not recorded).
 */
gitCommit: string,
/**
 * The first 8 characters of `git_commit`.
 */
gitCommitShort: string,
/**
 * The run's name: the TFX `pipeline_run` / KFP `system.PipelineRun` context the
 * execution belongs to ("" when the store records no run for it, as cmflib).
 */
run: string,
/**
 * The run's context id (null when there is no run).
 */
runId: number | null,
/**
 * The execution type's name as recorded (the full class path); after the older
 * fields, so the rows' first keys keep their order (Python frames' columns).
 */
typeFull: string,
/**
 * Alert rules this row breaks (`failed`, `long-running`, or a rule's query text);
 * only present when rules were given and one fired.
 */
alerts?: Array<string>,
};

export type ExecutionPage = {
/**
 * Executions matching the filters, before paging.
 */
total: number,
/**
 * Offset of the first row.
 */
offset: number,
/**
 * The rows of this page.
 */
rows: Array<ExecutionRow>,
};

export type GitInfo = {
/**
 * Commit at start (CMF `Git_Start_Commit`).
 */
commit: string,
/**
 * Commit at end (CMF `Git_End_Commit`), often empty.
 */
endCommit: string,
/**
 * Branch, when a property records one.
 */
branch: string,
/**
 * Repository URL (CMF `Git_Repo`).
 */
repo: string,
/**
 * Author, when recorded.
 */
author: string,
/**
 * Commit message, when recorded.
 */
message: string,
};

export type ContextRef = {
/**
 * `Context.id`.
 */
id: number,
/**
 * `Context.name`.
 */
name: string,
/**
 * The context type's name (`Pipeline_Stage`, `pipeline`, `node`, …).
 */
type: string,
};

export type Artifact = {
/**
 * `Artifact.id`.
 */
id: number,
/**
 * `Artifact.name` as recorded ("" when NULL: TFX records none).
 */
name: string,
/**
 * The name shown, never empty ([`crate::conventions::artifact_display_name`]: the
 * name, else KFP's `display_name` property, else `<output key> (<producer> #<id>)`,
 * the URI's last segments, the type).
 */
displayName: string,
/**
 * Artifact type name.
 */
type: string,
/**
 * `Artifact.uri`.
 */
uri: string,
/**
 * A version: the `version` property, or CMF's `Commit` (the DVC md5); "" when none.
 */
version: string,
/**
 * State label (`LIVE`, `PENDING`, …; `UNKNOWN` when NULL).
 */
state: string,
/**
 * Creation time, UTC ISO 8601.
 */
created: string | null,
/**
 * Last update, UTC ISO 8601.
 */
updated: string | null,
/**
 * The event that links it to the execution (`INPUT`, `OUTPUT`, `DECLARED_INPUT`, …).
 */
eventType: string,
/**
 * Declared properties (`is_custom_property = 0`), by name.
 */
properties: { [key in string]: JsonValue },
/**
 * Custom properties (`is_custom_property = 1`), by name.
 */
customProperties: { [key in string]: JsonValue },
};

export type Event = {
/**
 * `Event.id`.
 */
id: number,
/**
 * Event type label (`INPUT`, `OUTPUT`, …).
 */
type: string,
/**
 * The artifact it concerns.
 */
artifactId: number,
/**
 * That artifact's name as recorded ("" when NULL).
 */
artifactName: string,
/**
 * That artifact's display name, as [`Artifact::display_name`] (never empty).
 */
artifactDisplayName: string,
/**
 * When, UTC ISO 8601 (null when not recorded).
 */
time: string | null,
/**
 * When, epoch ms.
 */
timeMs: number | null,
/**
 * The event path (`EventPath` step keys, and indexes as text).
 */
path: Array<string>,
};

export type ExecutionDetails = {
/**
 * `Execution.external_id` (schema 9+), "" when absent.
 */
externalId: string,
/**
 * CMF `Execution_uuid`, else the name when it is a UUID (TFX), "" when neither.
 */
uuid: string,
/**
 * `Execution.name` as recorded ("" when NULL); the row's `name` is the display name.
 */
rawName: string,
/**
 * Where `ended` comes from: `lastUpdate`, `events` (an execution with no state whose
 * latest event is later than its last update: [`crate::conventions::execution_end`])
 * or `none`.
 */
endedFrom: EndSource,
/**
 * The command line (CMF `Execution` property), "" when absent.
 */
command: string,
/**
 * `create_time_since_epoch`, UTC ISO 8601.
 */
created: string | null,
/**
 * `create_time_since_epoch`, epoch ms.
 */
createdMs: number | null,
/**
 * `last_update_time_since_epoch`, UTC ISO 8601.
 */
updated: string | null,
/**
 * `last_update_time_since_epoch`, epoch ms.
 */
updatedMs: number | null,
/**
 * Git information.
 */
git: GitInfo,
/**
 * Contexts the execution is associated with.
 */
contexts: Array<ContextRef>,
/**
 * The same properties as a typed list, each with its role.
 */
typedProperties: Array<TypedProperty>,
/**
 * Its metrics: numeric properties named like a metric, and the numeric properties of
 * the metrics-like artifacts it output, each with its source.
 */
metrics: Array<Metric>,
/**
 * Artifacts read (INPUT, DECLARED_INPUT, INTERNAL_INPUT events).
 */
inputs: Array<Artifact>,
/**
 * Artifacts written (OUTPUT, DECLARED_OUTPUT, INTERNAL_OUTPUT, PENDING_OUTPUT events).
 */
outputs: Array<Artifact>,
/**
 * Events in time order (then by id).
 */
events: Array<Event>,
/**
 * `Execution.id`.
 */
id: number,
/**
 * The name shown ([`crate::conventions::display_name`]): `Execution.name`; for cmflib
 * (which leaves it NULL) and for a UUID name (TFX) `<stage>_<short uuid>`.
 */
name: string,
/**
 * The execution type's short name ([`crate::conventions::short_type_name`]:
 * `Trainer` for `tfx.components.trainer.component.Trainer`).
 */
type: string,
/**
 * Pipeline name ("" when the store records none).
 */
pipeline: string,
/**
 * Stage name within the pipeline ("" when the store records none).
 */
stage: string,
/**
 * Status label.
 */
status: Status,
/**
 * Raw `last_known_state` (null when never recorded).
 */
state: number | null,
/**
 * Start time, UTC ISO 8601.
 */
started: string | null,
/**
 * Start time, epoch ms.
 */
startedMs: number | null,
/**
 * End time (the last update of a finished execution), UTC ISO 8601.
 */
ended: string | null,
/**
 * End time, epoch ms.
 */
endedMs: number | null,
/**
 * `ended - started` in ms, when both are known.
 */
durationMs: number | null,
/**
 * Full git commit the execution ran ("" when not recorded).
 */
gitCommit: string,
/**
 * The first 8 characters of `git_commit`.
 */
gitCommitShort: string,
/**
 * The run's name: the TFX `pipeline_run` / KFP `system.PipelineRun` context the
 * execution belongs to ("" when the store records no run for it, as cmflib).
 */
run: string,
/**
 * The run's context id (null when there is no run).
 */
runId: number | null,
/**
 * The execution type's name as recorded (the full class path); after the older
 * fields, so the rows' first keys keep their order (Python frames' columns).
 */
typeFull: string,
/**
 * Alert rules this row breaks (`failed`, `long-running`, or a rule's query text);
 * only present when rules were given and one fired.
 */
alerts?: Array<string>,
/**
 * Declared properties (`is_custom_property = 0`), by name.
 */
properties: { [key in string]: JsonValue },
/**
 * Custom properties (`is_custom_property = 1`), by name.
 */
customProperties: { [key in string]: JsonValue },
};

export type Summary = {
/**
 * `MLMDEnv.schema_version`.
 */
schemaVersion: number,
/**
 * What wrote the store, as far as can be told: `cmf`, `tfx`, `kfp` or `mlmd`.
 */
flavor: string,
/**
 * Number of executions.
 */
executions: number,
/**
 * Number of artifacts.
 */
artifacts: number,
/**
 * Number of contexts.
 */
contexts: number,
/**
 * Number of events.
 */
events: number,
/**
 * Pipeline names, sorted.
 */
pipelines: Array<string>,
/**
 * Stage names, sorted.
 */
stages: Array<string>,
/**
 * Execution type names that have executions, sorted.
 */
executionTypes: Array<string>,
/**
 * The distinct short execution type names ([`crate::conventions::short_type_name`]),
 * sorted: what the table shows and completion offers (`type:Trainer` matches them).
 */
executionTypeNames: Array<string>,
/**
 * Executions per status label (only statuses that occur).
 */
states: { [key in string]: number },
/**
 * Git branches recorded, sorted.
 */
branches: Array<string>,
/**
 * The pipeline runs (TFX `pipeline_run`, KFP `system.PipelineRun` contexts) that
 * have executions, newest first (by start, then by context id); empty for stores
 * that record no runs (cmflib).
 */
runs: Array<RunInfo>,
/**
 * Earliest start, UTC ISO 8601.
 */
firstStarted: string | null,
/**
 * Latest start, UTC ISO 8601.
 */
lastStarted: string | null,
/**
 * Things worth telling the user that did not stop the file from opening.
 */
warnings: Array<string>,
};

export type PropertyName = {
/**
 * Property name.
 */
name: string,
/**
 * True for a custom property.
 */
custom: boolean,
/**
 * Value kinds seen (`int`, `double`, `string`, `bytes`, `proto`, `bool`).
 */
kinds: Array<string>,
/**
 * Executions that have it.
 */
executions: number,
};

export type DurationStats = {
/**
 * Executions with a known duration.
 */
count: number,
/**
 * Mean, ms.
 */
avgMs: number | null,
/**
 * Median (nearest rank), ms.
 */
medianMs: number | null,
/**
 * 95th percentile (nearest rank), ms.
 */
p95Ms: number | null,
/**
 * Shortest, ms.
 */
minMs: number | null,
/**
 * Longest, ms.
 */
maxMs: number | null,
};

export type GroupStats = {
/**
 * Group name (pipeline or stage; "" for the overall figures).
 */
name: string,
/**
 * Executions in the group.
 */
total: number,
/**
 * Executions per status label (only statuses that occur).
 */
byStatus: { [key in string]: number },
/**
 * Executions that reached an end state (Completed, Cached, Failed, Canceled).
 */
finished: number,
/**
 * (Completed + Cached) / finished; null when none finished (e.g. cmflib records no state).
 */
successRate: number | null,
/**
 * Failed / finished; null when none finished.
 */
failureRate: number | null,
/**
 * Durations.
 */
duration: DurationStats,
};

export type Bucket = {
/**
 * Bucket start, UTC ISO 8601.
 */
start: string,
/**
 * Bucket start, epoch ms.
 */
startMs: number,
/**
 * Executions started in it.
 */
count: number,
};

export type Stats = {
/**
 * Mean executions per day between the first and the last start (null for < 2 starts).
 */
throughputPerDay: number | null,
/**
 * Mean executions per hour over the same span.
 */
throughputPerHour: number | null,
/**
 * Executions per UTC day (days with at least one start, in time order).
 */
perDay: Array<Bucket>,
/**
 * Executions per UTC hour (hours with at least one start, in time order).
 */
perHour: Array<Bucket>,
/**
 * The same figures per pipeline, by name.
 */
byPipeline: Array<GroupStats>,
/**
 * The same figures per stage, by name.
 */
byStage: Array<GroupStats>,
/**
 * Group name (pipeline or stage; "" for the overall figures).
 */
name: string,
/**
 * Executions in the group.
 */
total: number,
/**
 * Executions per status label (only statuses that occur).
 */
byStatus: { [key in string]: number },
/**
 * Executions that reached an end state (Completed, Cached, Failed, Canceled).
 */
finished: number,
/**
 * (Completed + Cached) / finished; null when none finished (e.g. cmflib records no state).
 */
successRate: number | null,
/**
 * Failed / finished; null when none finished.
 */
failureRate: number | null,
/**
 * Durations.
 */
duration: DurationStats,
};

export type Direction = "higher" | "lower" | "neutral";

export type MetricSource = { "kind": "execution" } | { "kind": "artifact",
/**
 * `Artifact.id`.
 */
id: number,
/**
 * `Artifact.name` ("" when NULL).
 */
name: string,
/**
 * The artifact type's name (`Metrics`, `ModelBlessing`, …).
 */
type: string,
/**
 * 1 for the first output of this type carrying metrics, 2 for the second, …
 * (event order): the label that tells two artifacts of one type apart.
 */
ordinal: number,
};

export type Metric = {
/**
 * The property name as recorded (`accuracy`).
 */
name: string,
/**
 * The value as recorded (cmflib may store a number as text); always numeric.
 */
value: JsonValue,
/**
 * Which way it improves, from its name.
 */
direction: Direction,
/**
 * Where it was recorded.
 */
source: MetricSource,
};

export type GroupKind = "parameters" | "metrics" | "artifacts" | "git" | "timing" | "bookkeeping";

export type Verdict = "baseline" | "better" | "worse" | "same" | "neutral";

export type CompareRow = {
/**
 * The row's label: the property name, or `NAME (SOURCE)` for a split duplicate metric.
 */
name: string,
/**
 * The property or metric name as recorded (`durationMs`, `started`, `ended` for timing).
 */
property: string,
/**
 * True when custom in at least one execution (metrics from artifacts: always).
 */
custom: boolean,
/**
 * The value in each execution (`null` where missing), in the order of `executions`.
 */
values: Array<JsonValue>,
/**
 * Metrics only: where each value came from (`null` where missing).
 */
sources?: Array<MetricSource | null>,
/**
 * True when the values are not all the same.
 */
differs: boolean,
/**
 * Each value minus the baseline's (`null` where either is not numeric).
 */
deltas: Array<number | null>,
/**
 * `deltas` as a percentage of the baseline's magnitude (`null` where the baseline is 0).
 */
deltaPercents: Array<number | null>,
/**
 * Which way the value improves, from its name (metrics; `neutral` elsewhere).
 */
direction: Direction,
/**
 * Each value against the baseline's.
 */
verdicts: Array<Verdict>,
/**
 * Metrics with a direction: the positions (into `executions`) holding the best value;
 * empty when the values are all equal or fewer than two are numeric.
 */
best: Array<number>,
};

export type ArtifactCell = {
/**
 * `Artifact.id`.
 */
id: number,
/**
 * `Artifact.name` as recorded ("" when NULL).
 */
name: string,
/**
 * The name shown ([`crate::conventions::artifact_display_name`], never empty).
 */
displayName: string,
/**
 * `Artifact.uri`.
 */
uri: string,
/**
 * Its version (`version` property or cmflib's DVC md5), "" when none.
 */
version: string,
};

export type ArtifactChange = "same" | "changed" | "partial";

export type ArtifactDiff = {
/**
 * `INPUT` or `OUTPUT` side.
 */
direction: string,
/**
 * Artifact type.
 */
type: string,
/**
 * What matches versions of "the same" artifact: the name without its `:<hash>`
 * suffixes and run UUIDs (cmflib; see [`artifact_match_key`]), else the event's key
 * (TFX: `model`, `examples`), else the URI.
 */
key: string,
/**
 * The artifact in each execution, `null` where absent.
 */
cells: Array<ArtifactCell | null>,
/**
 * Version (or URI when it has none) in each execution, `null` where absent.
 */
versions: Array<string | null>,
/**
 * Same, changed or partial.
 */
change: ArtifactChange,
/**
 * What changed among the executions that have it: `version`, `uri`.
 */
changed: Array<string>,
/**
 * True unless `change` is `same`.
 */
differs: boolean,
};

export type CompareGroup = {
/**
 * Which group.
 */
kind: GroupKind,
/**
 * Its title (`Parameters`, `Metrics`, …).
 */
title: string,
/**
 * True for a group shown folded (bookkeeping).
 */
folded: boolean,
/**
 * Value rows (every group but Artifacts).
 */
rows: Array<CompareRow>,
/**
 * Artifact rows (the Artifacts group only).
 */
artifacts: Array<ArtifactDiff>,
};

export type Comparison = {
/**
 * The executions, in the order asked.
 */
executions: Array<ExecutionRow>,
/**
 * The baseline execution's id.
 */
baseline: number,
/**
 * Its position in `executions`.
 */
baselineIndex: number,
/**
 * Parameters, Metrics, Artifacts, Git, Timing, Bookkeeping — each present even when
 * empty, in this order.
 */
groups: Array<CompareGroup>,
};

export type CompareOptions = {
/**
 * The execution id deltas are taken against (one of the compared ids); the first
 * when not given.
 */
baseline?: number,
};

export type ChartOptions = {
/**
 * The baseline execution (deltas in tooltips); the first when not given.
 */
baseline?: number,
/**
 * The parallel-coordinates chart's metric (a Metrics row name); the first metric
 * when not given.
 */
metric?: string,
};

export type MetricScatter = {
/**
 * How many executions match the search.
 */
total: number,
/**
 * How many of them were read (at most [`MAX_SCATTER`], in sort order).
 */
considered: number,
/**
 * Every metric name the read executions record (natural order).
 */
metrics: Array<string>,
/**
 * Every parameter name they record (natural order).
 */
parameters: Array<string>,
/**
 * The metric drawn ("" when none is recorded).
 */
metric: string,
/**
 * The parameter on the x axis ("" when none is recorded).
 */
parameter: string,
/**
 * Which way the metric improves.
 */
direction: Direction,
/**
 * Executions that record the metric: their ids …
 */
ids: Array<number>,
/**
 * … display names …
 */
names: Array<string>,
/**
 * … the parameter's value (`null` where not recorded) …
 */
x: Array<JsonValue>,
/**
 * … and the metric's value.
 */
y: Array<number>,
/**
 * True when every recorded parameter value is a number (else the x axis is categories).
 */
xNumeric: boolean,
/**
 * The x axis' categories when it is not numeric (natural order).
 */
xCategories: Array<string>,
/**
 * Positions into `ids`, best first by the metric (higher first for a neutral name);
 * ties keep the sort order of the search.
 */
ranking: Array<number>,
};

export type LineageNode = {
/**
 * `"e<id>"` for an execution, `"a<id>"` for an artifact.
 */
key: string,
/**
 * `execution` or `artifact`.
 */
kind: string,
/**
 * The MLMD id.
 */
id: number,
/**
 * Display name.
 */
name: string,
/**
 * Execution or artifact type.
 */
type: string,
/**
 * Status label (executions) or artifact state.
 */
status: string,
/**
 * Steps from the execution asked about (an artifact is one step away, the execution
 * on its far side two): negative upstream, positive downstream.
 */
depth: number,
};

export type LineageEdge = {
/**
 * Source node key.
 */
from: string,
/**
 * Target node key.
 */
to: string,
/**
 * The event type (`INPUT`, `OUTPUT`, …).
 */
type: string,
};

export type Lineage = {
/**
 * Nodes, the execution asked about first.
 */
nodes: Array<LineageNode>,
/**
 * Edges between them.
 */
edges: Array<LineageEdge>,
/**
 * True when the walk stopped at the node limit before reaching the depth asked.
 */
truncated: boolean,
};

export type LineageOptions = {
/**
 * Hops each way, counted in executions: depth 1 is the execution, its artifacts and
 * the executions on their far side (default 2, at most [`MAX_DEPTH`]).
 */
depth: number,
/**
 * The most nodes drawn by the walk (default 150, at most [`MAX_GRAPH_NODES`]).
 */
maxNodes: number,
/**
 * Keys of nodes whose hidden neighbours are added (one hop each, in this order).
 */
expand: Array<string>,
};

export type LineageGraphNode = {
/**
 * `e<id>` execution, `a<id>` artifact, `s<n>` stage, `me<id>` / `ma<id>` an
 * execution / artifact that events name but the store does not hold.
 */
key: string,
/**
 * `execution`, `artifact`, `stage` or `missing`.
 */
kind: string,
/**
 * The MLMD id (a stage's: its number `n`).
 */
id: number,
/**
 * Display name (never empty).
 */
name: string,
/**
 * `name` cut to [`MAX_LABEL_CHARS`] characters with `…`: what the layout made room for.
 */
label: string,
/**
 * Short type name (`Trainer` for `tfx.components.trainer.component.Trainer`).
 */
type: string,
/**
 * The full type name.
 */
typeFull: string,
/**
 * Execution status label, artifact state, `missing`, or `""` (stages).
 */
status: string,
/**
 * Signed steps from the root (an artifact is one step from its execution):
 * negative upstream, positive downstream, 0 for the root and for stages.
 */
depth: number,
/**
 * The layout's layer (column), 0 on the left.
 */
layer: number,
/**
 * Left edge, px.
 */
x: number,
/**
 * Top edge, px.
 */
y: number,
/**
 * Box width, px: room for `label`, the short type and a stage's [`count_line`] at
 * [`layout::CHAR_WIDTH`] px a character (12 px sans-serif) plus 24 px padding.
 */
width: number,
/**
 * Box height, px.
 */
height: number,
/**
 * Neighbours (through any event) not drawn: cut by the depth or the node limit, or off
 * the walk's way (an input's other readers, an output's other writers); `expand`
 * adds them.
 */
hidden: number,
/**
 * Stages only: how many executions.
 */
executions?: number,
/**
 * Stages only: executions per status label.
 */
statusCounts?: { [key in string]: number },
};

export type LineageGraphEdge = {
/**
 * Source node key.
 */
from: string,
/**
 * Target node key.
 */
to: string,
/**
 * The event type (`INPUT`, `OUTPUT`, `INTERNAL_INPUT`, `PENDING_OUTPUT`, …); stage
 * edges are `OUTPUT` (what one stage wrote and the other read).
 */
type: string,
/**
 * `""` for plain `INPUT` / `OUTPUT`, else the event type and its path key
 * (`PENDING_OUTPUT (model)`).
 */
label: string,
/**
 * Events behind the edge; for stage edges, distinct artifacts.
 */
count: number,
/**
 * True for an edge drawn against the layers to break a cycle: its points then run
 * from the source's left side to the target's right side.
 */
reversed: boolean,
/**
 * The polyline, from the source's right side to the target's left side.
 */
points: Array<[number, number]>,
};

export type LineageGraph = {
/**
 * The root's key (`e12`, `a5`, `c3`).
 */
root: string,
/**
 * `execution`, `artifact` or `context`.
 */
kind: string,
/**
 * The depth walked (after clamping).
 */
depth: number,
/**
 * True when the node limit cut the walk.
 */
truncated: boolean,
/**
 * Layout width, px.
 */
width: number,
/**
 * Layout height, px.
 */
height: number,
/**
 * Nodes, the root first (stages in name order).
 */
nodes: Array<LineageGraphNode>,
/**
 * Edges, in the order of their source node, then target node, then event type.
 */
edges: Array<LineageGraphEdge>,
};

export type Timeline = {
/**
 * Lane names, `"<pipeline> / <stage>"` (or the execution type when no stage is known);
 * grouped by run, `"<run> / <stage>"`.
 */
lanes: Array<string>,
/**
 * Status labels, indexed by `status`.
 */
statuses: Array<string>,
/**
 * Execution ids.
 */
ids: Float64Array,
/**
 * Start times, epoch ms.
 */
start: Float64Array,
/**
 * End times, epoch ms (`NaN` when not ended).
 */
end: Float64Array,
/**
 * Lane of each bar.
 */
lane: Uint32Array,
/**
 * Status of each bar (index into `statuses`).
 */
status: Uint8Array,
/**
 * 1 where an alert of the query's `alerts` flags the bar's execution, else 0.
 */
alerted: Uint8Array,
/**
 * Earliest start, epoch ms (`NaN` when empty).
 */
min: number,
/**
 * Latest start or end, epoch ms (`NaN` when empty).
 */
max: number,
};

export type RunInfo = {
/**
 * The run's context id (what `compareRuns` takes).
 */
id: number,
/**
 * The run's context name (what the `run` filter and `run=` take).
 */
name: string,
/**
 * The pipeline of its executions ("" when none is recorded).
 */
pipeline: string,
/**
 * The earliest start of its executions, UTC ISO 8601.
 */
start: string | null,
/**
 * The same, epoch ms.
 */
startMs: number | null,
/**
 * The latest end of its executions, UTC ISO 8601 (null when none has ended).
 */
end: string | null,
/**
 * The same, epoch ms.
 */
endMs: number | null,
/**
 * How many executions belong to it.
 */
executions: number,
/**
 * Its executions per status label (only statuses that occur).
 */
statusCounts: { [key in string]: number },
};

export type RunStageCell = {
/**
 * The execution shown (the stage's last in the run).
 */
executionId: number,
/**
 * Its display name.
 */
name: string,
/**
 * Its status.
 */
status: Status,
/**
 * Its start, UTC ISO 8601.
 */
started: string | null,
/**
 * Its duration in ms, when start and end are known.
 */
durationMs: number | null,
/**
 * How many executions of the stage the run has (more than one: retried or repeated).
 */
executions: number,
};

export type PropertyDifference = {
/**
 * The property's name.
 */
name: string,
/**
 * Its value in each run (order of `runs`); null where the run's execution lacks it
 * or the run did not run the stage.
 */
values: Array<JsonValue | null>,
};

export type RunStage = {
/**
 * The stage's name (`Trainer`).
 */
stage: string,
/**
 * Per run, in the order of `runs`: the stage's execution in that run (its last, when
 * it ran more than once), or null when the run has none.
 */
cells: Array<RunStageCell | null>,
/**
 * The properties (declared and custom) whose values are not the same in every run
 * that ran the stage, by name; a run without the property has null.
 */
differences: Array<PropertyDifference>,
/**
 * True when every run ran the stage with the same status and no property differs.
 */
same: boolean,
};

export type RunComparison = {
/**
 * The runs, in the order asked.
 */
runs: Array<RunInfo>,
/**
 * One row per stage (TFX node; the execution type where no stage is recorded, or
 * where the runs share no stage name), in the order the stages first started.
 */
stages: Array<RunStage>,
};

export type FieldKind = "number" | "text" | "status" | "time" | "duration" | "commit" | "property" | "alert";

export type FieldInfo = {
/**
 * The name as typed before the operator (`pipeline`, `property`).
 */
name: string,
/**
 * What it compares.
 */
kind: FieldKind,
/**
 * A short explanation for autocomplete.
 */
help: string,
};

export type Example = {
/**
 * The query text (it parses: a test checks every one).
 */
query: string,
/**
 * What it finds.
 */
meaning: string,
};

export type StatusInfo = {
/**
 * The label (`Completed`); the `status` filter and `status:` take it, any case.
 */
label: string,
/**
 * What it means, with MLMD's own name for it.
 */
meaning: string,
};

export type CompareLimits = {
/**
 * Fewest.
 */
min: number,
/**
 * Most.
 */
max: number,
};

export type QueryLimits = {
/**
 * Longest query, in characters.
 */
maxChars: number,
/**
 * Deepest nesting of parentheses and `NOT`.
 */
maxNesting: number,
};

export type Vocabulary = {
/**
 * Search fields, in the order autocomplete offers them.
 */
fields: Array<FieldInfo>,
/**
 * Comparison operators.
 */
operators: Array<string>,
/**
 * Boolean and range keywords.
 */
keywords: Array<string>,
/**
 * Syntax examples (each parses).
 */
examples: Array<Example>,
/**
 * Every status, in the order lists and legends show them.
 */
statuses: Array<StatusInfo>,
/**
 * The `executions()` options that narrow the list, in filter-bar order.
 */
filterKeys: Array<string>,
/**
 * The plain sort columns (besides `property:NAME`).
 */
sortColumns: Array<string>,
/**
 * How many executions compare takes.
 */
compare: CompareLimits,
/**
 * The charts `compareChart` draws (`metrics`, `duration`, `parallel`).
 */
compareCharts: Array<string>,
/**
 * The bounds of a query.
 */
queryLimits: QueryLimits,
/**
 * The alert names `alert:` takes besides the rules' own (`any`, `failed`,
 * `long-running`).
 */
builtInAlerts: Array<string>,
};

export type TimeBound = number | string;

export type NamedAlertRule = {
/**
 * What rows carry in `alerts`, and what `alert:` takes.
 */
name: string,
/**
 * The search that flags a row.
 */
query: string,
};

export type AlertRule = string | NamedAlertRule;

export type AlertRules = {
/**
 * Flag failed executions (`failed`).
 */
failed?: boolean,
/**
 * Flag executions that ran (or, still running, have run) longer than this (`long-running`).
 */
longRunningMs?: number,
/**
 * Flag executions that ran longer than this many times the median duration of the
 * completed executions of the same pipeline stage (`long-running`).
 */
longRunningFactor?: number,
/**
 * Queries in the search language, each a query text (its own name, e.g.
 * `property:accuracy<0.9`) or `{ name, query }`; a matching row is flagged with the
 * rule's name, and `alert:NAME` in a search matches the rows the rule flags.
 */
rules?: Array<AlertRule>,
};

export type AlertCount = {
/**
 * The alert's name (`failed`, `long-running`, a rule's name).
 */
name: string,
/**
 * The search term that lists them (`alert:"low accuracy"`).
 */
term: string,
/**
 * Executions it flags.
 */
count: number,
};

export type AlertSummary = {
/**
 * Executions flagged by at least one alert (`alert:any`).
 */
any: number,
/**
 * Each enabled alert, in the order of the rules: `failed`, `long-running`, then the
 * rules'.
 */
alerts: Array<AlertCount>,
};

export type FilterPart = {
/**
 * `query` for a term of the search, else the filter option (`status`, `pipeline`, …).
 */
key: string,
/**
 * The term as text (`status:failed`) or the option's value (`Failed`).
 */
text: string,
/**
 * Executions this part matches alone.
 */
matched: number,
/**
 * Executions the whole filter matches with this part left out.
 */
without: number,
/**
 * For a search term: the search without it (what "remove" leaves); `None` otherwise.
 */
rest: string | null,
};

export type Suggestion = {
/**
 * The search text to use instead.
 */
query: string,
/**
 * What it finds, in words.
 */
meaning: string,
/**
 * How many executions it finds.
 */
matched: number,
};

export type EmptyExplanation = {
/**
 * Executions the filter matches (0 when there is something to explain).
 */
matched: number,
/**
 * Executions in the store.
 */
total: number,
/**
 * Each part of the filter, in the order given (structured filters, then the search).
 */
parts: Array<FilterPart>,
/**
 * Sentences on the cause, e.g. "this store (written by cmflib) records no execution
 * state: 20 executions are Unknown".
 */
notes: Array<string>,
/**
 * Nearby queries that find something.
 */
suggestions: Array<Suggestion>,
};

export type ExecutionQuery = {
/**
 * A search in the query language (see the README).
 */
query?: string,
/**
 * Pipeline name, exact.
 */
pipeline?: string,
/**
 * Stage name (`Train`) or full stage context name (`mnist/Train`), exact.
 */
stage?: string,
/**
 * Run name (a TFX `pipeline_run` / KFP `system.PipelineRun` context's name), exact.
 */
run?: string,
/**
 * Execution type name, exact.
 */
type?: string,
/**
 * Status label (`completed`, `Failed`, …), case-insensitive.
 */
status?: string,
/**
 * Started at or after this time (a date alone means its first millisecond).
 */
from?: TimeBound,
/**
 * Started at or before this time (a date alone means its last millisecond).
 */
to?: TimeBound,
/**
 * Git branch, exact.
 */
branch?: string,
/**
 * Sort column (`id`, `name`, `type`, `pipeline`, `stage`, `run`, `status`, `started`,
 * `ended`, `duration`, `gitCommit`) or `property:NAME`, `-` first for descending.
 * Default `id`.
 */
sort?: string,
/**
 * Rows to skip.
 */
offset?: number,
/**
 * Rows to return (default [`DEFAULT_LIMIT`]).
 */
limit?: number,
/**
 * The current time in epoch ms, for `today` and `-7d` in queries and for how long a
 * running execution has run (the CLI and the wasm binding fill it).
 */
now?: number,
/**
 * Alert rules: rows of the page that break one carry its name in `alerts`.
 */
alerts?: AlertRules,
/**
 * The timeline's lanes (`timeline()` only): `stage` (default: one lane per pipeline
 * stage) or `run` (one lane per run and stage, runs in start order).
 */
groupBy?: string,
};

export type ExportOptions = {
/**
 * Only these executions (among those the filter keeps), e.g. the selection.
 */
ids?: Array<number>,
/**
 * CSV: the table's columns in order (`id`, `name`, `type`, `pipeline`, `stage`,
 * `status`, `started`, `ended`, `duration`, `gitCommit`, `property:NAME`); `id`,
 * `name`, `started`, `ended` and `duration` are always written. Default: every
 * built-in column.
 */
columns?: Array<string>,
/**
 * CSV: the property columns written after `columns` (those not already in it).
 * Default: every execution property name; `[]`: none.
 */
properties?: Array<string>,
/**
 * CSV: starts the text with a UTF-8 byte order mark (for spreadsheets that otherwise
 * guess another encoding).
 */
bom?: boolean,
/**
 * The store's name, shown in a report's title (e.g. the file name).
 */
storeName?: string,
/**
 * A search in the query language (see the README).
 */
query?: string,
/**
 * Pipeline name, exact.
 */
pipeline?: string,
/**
 * Stage name (`Train`) or full stage context name (`mnist/Train`), exact.
 */
stage?: string,
/**
 * Run name (a TFX `pipeline_run` / KFP `system.PipelineRun` context's name), exact.
 */
run?: string,
/**
 * Execution type name, exact.
 */
type?: string,
/**
 * Status label (`completed`, `Failed`, …), case-insensitive.
 */
status?: string,
/**
 * Started at or after this time (a date alone means its first millisecond).
 */
from?: TimeBound,
/**
 * Started at or before this time (a date alone means its last millisecond).
 */
to?: TimeBound,
/**
 * Git branch, exact.
 */
branch?: string,
/**
 * Sort column (`id`, `name`, `type`, `pipeline`, `stage`, `run`, `status`, `started`,
 * `ended`, `duration`, `gitCommit`) or `property:NAME`, `-` first for descending.
 * Default `id`.
 */
sort?: string,
/**
 * Rows to skip.
 */
offset?: number,
/**
 * Rows to return (default [`DEFAULT_LIMIT`]).
 */
limit?: number,
/**
 * The current time in epoch ms, for `today` and `-7d` in queries and for how long a
 * running execution has run (the CLI and the wasm binding fill it).
 */
now?: number,
/**
 * Alert rules: rows of the page that break one carry its name in `alerts`.
 */
alerts?: AlertRules,
/**
 * The timeline's lanes (`timeline()` only): `stage` (default: one lane per pipeline
 * stage) or `run` (one lane per run and stage, runs in start order).
 */
groupBy?: string,
};
