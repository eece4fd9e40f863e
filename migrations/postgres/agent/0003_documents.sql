-- Documents uploaded for applications (PostgreSQL): what each file proves (kind, subject), what
-- it is (size, content type judged by content, image sides), where it is (the SHA-256 of the
-- content in the blob store), who uploaded it, and the client's file name, sanitised, as a label
-- only. application_id carries no foreign key so that this table does not depend on the order of
-- the applications migration; applications are never deleted, and every access goes through the
-- application's owner and state first.
CREATE TABLE documents (
  id TEXT NOT NULL CONSTRAINT "documents.id" PRIMARY KEY,
  application_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  size BIGINT NOT NULL CHECK (size >= 0),
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  original_name TEXT NOT NULL,
  width BIGINT,
  height BIGINT,
  uploader_id TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX documents_application ON documents (application_id, created_at, id);
