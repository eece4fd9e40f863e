-- The agent's copy of the public part of the authority's registry (issue 10 item 7) (SQLite):
-- one row per filed registrable domain, as the signed change feed gives it, and the feed cursor.
-- The public look-up (GET /api/v1/public/filings) reads one row by its primary key; the sync
-- (agent/registry_sync.h) replaces a website's rows and moves the cursor in one transaction.
--
-- `domain` is the registrable domain in punycode, lower-case ("example.com.cn",
-- "xn--fiqs8s.xn--fiqs8s"): the canonical form of domain::PublicLookupKey. A cancelled website's
-- rows are deleted: a domain without a row is not filed. `organizer_name` is masked for
-- individuals as the feed gives it; `approved_at` is the feed's RFC 3339 text; `seq` is the feed
-- change that wrote the row.
CREATE TABLE public_filings (
  domain TEXT NOT NULL PRIMARY KEY,
  website_sn TEXT NOT NULL,
  subject_sn TEXT NOT NULL,
  organizer_name TEXT NOT NULL,
  organizer_type TEXT NOT NULL,
  website_name TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  seq INTEGER NOT NULL
) STRICT;
CREATE INDEX public_filings_website_sn ON public_filings (website_sn);

-- The feed cursor: `last_seq` is the seq of the last change applied (0: none), one row.
CREATE TABLE public_registry_sync (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
INSERT INTO public_registry_sync (id, last_seq, updated_at) VALUES (1, 0, 0);
