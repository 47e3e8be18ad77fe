// Every saved version of the bulletin; restoring one saves its document as the newest version.
import { useState } from 'react';
import { api, errorMessage } from '../api';
import { Badge, Dialog, ErrorNotice, formatDate, Loading } from '../components';
import { useApi } from '../hooks';
import type { BulletinDocument, BulletinVersion, BulletinVersionSummary } from './model';

export function VersionsDialog({
  open,
  onClose,
  bulletinId,
  currentVersion,
  sentVersionIds,
  onRestore,
}: {
  open: boolean;
  onClose(): void;
  bulletinId: number;
  currentVersion: number;
  /** The versions a send mailed (or will). */
  sentVersionIds: ReadonlySet<number>;
  onRestore(document: BulletinDocument, version: number): void;
}) {
  return (
    <Dialog open={open} title="Versions" onClose={onClose}>
      {/* The dialog renders its content only while open: each opening lists the versions saved since. */}
      <VersionList
        bulletinId={bulletinId}
        currentVersion={currentVersion}
        sentVersionIds={sentVersionIds}
        onRestore={onRestore}
      />
    </Dialog>
  );
}

function VersionList({
  bulletinId,
  currentVersion,
  sentVersionIds,
  onRestore,
}: {
  bulletinId: number;
  currentVersion: number;
  sentVersionIds: ReadonlySet<number>;
  onRestore(document: BulletinDocument, version: number): void;
}) {
  const versions = useApi<{ data: BulletinVersionSummary[] }>(`/api/bulletins/${bulletinId}/versions`);
  const [restoring, setRestoring] = useState<number>();
  const [error, setError] = useState<string>();

  const restore = async (version: BulletinVersionSummary) => {
    setRestoring(version.version);
    setError(undefined);
    try {
      const { document } = await api<BulletinVersion>(
        'GET',
        `/api/bulletins/${bulletinId}/versions/${version.versionId}`,
      );
      onRestore(document, version.version);
    } catch (e) {
      setError(`Version ${version.version} could not be read: ${errorMessage(e)}`);
    } finally {
      setRestoring(undefined);
    }
  };

  if (versions.error) return <ErrorNotice error={versions.error} title="The versions could not be loaded." />;
  if (!versions.data) return <Loading label="Loading the versions…" />;
  return (
    <>
      <p className="muted">
        Every save is a version. Restoring one saves it again as the newest; the versions after it stay in this list.
      </p>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      <div className="table-wrap versions">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">Title</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.data.data.map((version) => (
              <tr key={version.versionId}>
                <td>
                  {version.version}
                  {version.version === currentVersion && <span className="muted"> (current)</span>}
                  {sentVersionIds.has(version.versionId) && (
                    <>
                      {' '}
                      <Badge value="sent" label="sent" />
                    </>
                  )}
                </td>
                <td>{formatDate(version.createdAt)}</td>
                <td>{version.title}</td>
                <td>
                  <div className="actions">
                    <a
                      href={`/api/bulletins/${bulletinId}/preview?versionId=${version.versionId}`}
                      target="_blank"
                      rel="noreferrer"
                      className="button-small button"
                    >
                      Preview<span className="visually-hidden"> version {version.version}</span>
                    </a>
                    {version.version !== currentVersion && (
                      <button
                        type="button"
                        className="button-small"
                        disabled={restoring !== undefined}
                        onClick={() => void restore(version)}
                      >
                        {restoring === version.version ? 'Restoring…' : 'Restore'}
                        <span className="visually-hidden"> version {version.version}</span>
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
