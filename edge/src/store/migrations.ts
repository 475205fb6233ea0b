/**
 * Forward-only schema migrations. Each runs in its own transaction and bumps user_version;
 * a released migration is never edited, only followed by a new one.
 * Times are integer milliseconds since the epoch (UTC); ids are UUIDs unless noted.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: the clinical domain */ `
  CREATE TABLE appliance_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE crew (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('paramedic', 'technician', 'supervisor')),
    pin_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
  ) STRICT;

  -- ref: a compact integer key for the high-rate tables; id: what people and devices use.
  CREATE TABLE devices (
    ref INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_seq INTEGER,
    last_seen_at INTEGER
  ) STRICT;

  CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    unidentified INTEGER NOT NULL DEFAULT 1 CHECK (unidentified IN (0, 1)),
    given_name TEXT,
    family_name TEXT,
    birth_date TEXT,
    age_years REAL,
    sex TEXT CHECK (sex IN ('male', 'female', 'other', 'unknown')),
    weight_kg REAL,
    allergies TEXT NOT NULL DEFAULT '[]',
    home_medications TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE cases (
    ref INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    incident_number TEXT,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    status TEXT NOT NULL,
    acuity INTEGER CHECK (acuity BETWEEN 1 AND 5),
    chief_complaint TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX cases_by_update ON cases (updated_at);

  -- The status timeline: one row per transition, never updated.
  CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    status TEXT NOT NULL CHECK (status IN ('dispatched', 'en_route', 'on_scene', 'patient_contact', 'transporting', 'at_destination', 'handoff', 'closed')),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL
  ) STRICT;
  CREATE INDEX case_events_by_case ON case_events (case_id, at);

  -- One row per measurement; (device, seq, code) makes a resend idempotent. WITHOUT ROWID and
  -- integer refs keep each commit to few, small pages: every dirty page costs an encryption
  -- and an HMAC (bench/store measures it).
  CREATE TABLE vital_signs (
    device_ref INTEGER NOT NULL REFERENCES devices(ref),
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    observed_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    case_ref INTEGER REFERENCES cases(ref),
    PRIMARY KEY (device_ref, seq, code)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX vital_signs_by_case ON vital_signs (case_ref, code, observed_at);

  -- int16 little-endian samples, one chunk per row.
  CREATE TABLE waveform_chunks (
    device_ref INTEGER NOT NULL REFERENCES devices(ref),
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    sample_rate_hz REAL NOT NULL,
    sample_count INTEGER NOT NULL,
    samples BLOB NOT NULL,
    gap_before_ms INTEGER,
    case_ref INTEGER REFERENCES cases(ref),
    PRIMARY KEY (device_ref, kind, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX waveform_chunks_by_case ON waveform_chunks (case_ref, kind, started_at);

  CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    author_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE interventions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    code TEXT NOT NULL,
    display TEXT NOT NULL,
    performed_at INTEGER NOT NULL,
    performer_id TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
  ) STRICT;

  CREATE TABLE medication_administrations (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    medication TEXT NOT NULL,
    dose REAL NOT NULL,
    dose_unit TEXT NOT NULL,
    route TEXT NOT NULL,
    given_at INTEGER NOT NULL,
    performer_id TEXT NOT NULL
  ) STRICT;

  CREATE TABLE media (
    id TEXT PRIMARY KEY,
    case_id TEXT REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('image', 'audio')),
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    thumbnail BLOB,
    created_at INTEGER NOT NULL,
    synced_at INTEGER
  ) STRICT;

  CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    source TEXT NOT NULL CHECK (source IN ('rules', 'model', 'merged')),
    acuity INTEGER CHECK (acuity BETWEEN 1 AND 5),
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX assessments_by_case ON assessments (case_id, created_at);

  -- Changes waiting for the cloud, written in the same transaction as the change.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 3,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'quarantined')),
    last_error TEXT
  ) STRICT;
  CREATE INDEX outbox_pending ON outbox (state, priority, id);

  -- Hash chain: hash = sha256(prev_hash || canonical row content). AUTOINCREMENT so that
  -- ids are never reused and a deleted tail row still leaves a gap to detect.
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    reason TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  `,
  /* 2: deterioration alerts, kept so an acknowledgement and its audit survive a restart */ `
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    detail TEXT NOT NULL,
    cleared_at INTEGER,
    acknowledged_by TEXT,
    acknowledged_at INTEGER
  ) STRICT;
  CREATE INDEX alerts_by_case ON alerts (case_id, raised_at);
  `,
  /* 3: sync progress per case (vitals travel by watermark: the sample rows are their own queue) */ `
  CREATE TABLE sync_cases (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    vitals_synced_through INTEGER NOT NULL DEFAULT 0,
    last_receipt_at INTEGER,
    last_error TEXT
  ) STRICT;
  ALTER TABLE outbox ADD COLUMN receipt_sequence INTEGER;
  `,
  /* 4: media as stored (normalised size, origin) and device transfers staged chunk by chunk */ `
  ALTER TABLE media ADD COLUMN width INTEGER;
  ALTER TABLE media ADD COLUMN height INTEGER;
  ALTER TABLE media ADD COLUMN duration_ms INTEGER;
  -- Who added it: crew:<id>, device:<id> or cli:<user>; received_sha256 is the digest of the file as it arrived.
  ALTER TABLE media ADD COLUMN origin TEXT;
  ALTER TABLE media ADD COLUMN received_sha256 TEXT;
  -- The device's own id for the transfer: a resent manifest after completion finds the stored file.
  ALTER TABLE media ADD COLUMN device_media_id TEXT;
  CREATE INDEX media_by_case ON media (case_id, created_at);
  CREATE UNIQUE INDEX media_by_device_transfer ON media (origin, device_media_id) WHERE device_media_id IS NOT NULL;

  -- A device transfer in progress: chunks are committed here before their PUBACK, so a restart
  -- loses nothing acknowledged. Rows leave when the file is stored, refused or times out.
  CREATE TABLE media_transfers (
    device_id TEXT NOT NULL,
    media_id TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    manifest TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, media_id)
  ) STRICT;
  CREATE TABLE media_chunks (
    device_id TEXT NOT NULL,
    media_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (device_id, media_id, idx),
    FOREIGN KEY (device_id, media_id) REFERENCES media_transfers (device_id, media_id) ON DELETE CASCADE
  ) STRICT;
  `,
  /* 5: the tablet's medication checks: what was overridden and why, kept with the administration */ `
  ALTER TABLE medication_administrations ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE medication_administrations ADD COLUMN override_reason TEXT;
  `,
  /* 6: media bytes to the cloud as media-chunk envelopes, resumable chunk by chunk */ `
  -- The plan (chunk size, descriptor) is fixed when a file's first chunk goes, so a restart with
  -- another chunk setting still sends chunks the cloud can join. Deleting the media deletes these.
  CREATE TABLE media_uploads (
    media_id TEXT PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
    descriptor TEXT NOT NULL,
    chunk_bytes INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    -- Set with the last chunk's receipt: the whole file is at the cloud.
    completed_at INTEGER,
    -- The cloud refused the file for good (its code); it is not sent again.
    rejected_code TEXT
  ) STRICT;
  -- One row per chunk whose signed receipt verified: a resumed upload starts at the first missing one.
  CREATE TABLE media_upload_chunks (
    media_id TEXT NOT NULL REFERENCES media_uploads(media_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    receipt_sequence INTEGER NOT NULL,
    receipted_at INTEGER NOT NULL,
    PRIMARY KEY (media_id, idx)
  ) STRICT, WITHOUT ROWID;
  -- A file's bytes follow once the bundle with its Media has a receipt: found by the Media's outbox row.
  CREATE INDEX outbox_by_resource ON outbox (resource_id, resource_type, state);
  `,
  /* 7: the ETA to the destination the crew sets while transporting, for dispatch */ `
  -- Epoch ms of the expected arrival; NULL when not set or cleared.
  ALTER TABLE cases ADD COLUMN eta_at INTEGER;
  `,
];
