import { Link } from 'wouter';
import { Badge, Time } from './common';
import type { DeliveryLineage } from './deliveryLineage';

/** The delivery end of a lineage as a list: each release, its promotions, and where its deployments answer. */
export function DeliveryLineageList({ delivery, tenantId, project }: { delivery: DeliveryLineage; tenantId: string; project: string }) {
  return (
    <ul className="small" aria-label="Delivery lineage">
      {delivery.releases.map((release) => (
        <li key={release.releaseId}>
          Release <Link href={`/t/${tenantId}/p/${project}/delivery`}>{release.version}</Link> <Badge status={release.status} /> of <code>{release.manifest.commit.slice(0, 10)}</code> <Time at={release.createdAt} />{' '}
          <Link href={`/t/${tenantId}/audit?trace=${release.traceId}`}>trace</Link>
          <ul>
            {(release.promotions ?? []).map((promotion) => (
              <li key={promotion.promotionId} aria-label={`Promotion to ${promotion.environment}`}>
                {promotion.environment} <Badge status={promotion.phase} />
                {promotion.reason ? <span className="muted"> — {promotion.reason}</span> : null}
                <ul>
                  {delivery.deployments
                    .filter((d) => d.releaseId === release.releaseId && d.environment === promotion.environment)
                    .map((d) => (
                      <li key={d.deploymentId}>
                        {d.module} {d.version} <Badge status={d.status} /> {(d.endpoints ?? []).map((url) => <code key={url}>{url} </code>)}
                      </li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
