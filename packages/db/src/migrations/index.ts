// Every migration, in order. To change the schema add `NNNN-what.ts` and list it here; never edit
// one that has shipped (the runner refuses a database whose applied migration text changed).
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-portal.ts';
import { migration0003 } from './0003-call-features.ts';
import { migration0004 } from './0004-voicemail-recording.ts';
import { migration0005 } from './0005-music-on-hold.ts';
import { migration0006 } from './0006-change-notifications.ts';
import { migration0007 } from './0007-trunks.ts';
import { migration0008 } from './0008-support-email.ts';
import { migration0009 } from './0009-cdr-diversion.ts';
import { migration0010 } from './0010-trunk-change-notifications.ts';
import type { Migration } from './migration.ts';

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
];
