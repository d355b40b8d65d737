/** The project repository: generated artifacts committed into a real git repository per project. */
export { DEFAULT_BRANCH, ProjectRepository, workflowBranch, type CommitAuthor, type CommitOutcome, type CommitRequest, type LoggedCommit, type PushRemote } from './projectRepository';
export { TRAILER_KEYS, readTrailers, withTrailers, type CommitTrailers } from './trailers';
export { type ArchiveFormat } from './archive';
export { type FileChange } from './diff';
export { MergeRefused, type MergeMode, type MergeOutcome } from './merge';
export { UnknownRef } from './refs';
