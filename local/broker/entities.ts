import type { Db } from '../db';

export type EntityKind = 'queue' | 'topic' | 'subscription';

/** One row of `sb_entities`. */
export interface EntityRow {
  name: string;
  kind: EntityKind;
  topic: string | null;
  max_delivery_count: number | null;
}

const SUBSCRIPTION_PATH = /^(.+?)\/subscriptions\/([^/]+)$/i;

/** The path Service Bus gives a subscription, used as its entity name here. */
export function subscriptionPath(topic: string, subscription: string): string {
  return `${topic}/subscriptions/${subscription}`;
}

/** Splits `topic/subscriptions/sub` into its parts; undefined for a queue or topic name. */
export function parseSubscriptionPath(name: string): { topic: string; subscription: string } | undefined {
  const m = SUBSCRIPTION_PATH.exec(name);
  return m ? { topic: m[1], subscription: m[2] } : undefined;
}

/** Throws when `name` cannot name a queue, topic or subscription. */
export function checkEntityName(name: string): string {
  if (typeof name !== 'string' || !/^[\w.\-~$]+(\/[\w.\-~$]+)*$/.test(name) || name.length > 260) {
    throw new BrokerError(400, `"${String(name)}" is not a valid entity name.`);
  }
  return name;
}

/** An error the admin routes turn into a problem response with this status. */
export class BrokerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Queues, topics and subscriptions, created on first use and remembered across restarts (a
 * subscription keeps receiving after the function that created it is gone).
 */
export class EntityDirectory {
  private readonly cache = new Map<string, EntityRow>();

  constructor(
    private readonly db: Db,
    private readonly defaultMaxDeliveryCount: number,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
  ) {
    for (const row of this.db.prepare('SELECT name, kind, topic, max_delivery_count FROM sb_entities').all() as EntityRow[]) {
      this.cache.set(row.name.toLowerCase(), row);
    }
  }

  get(name: string): EntityRow | undefined {
    return this.cache.get(name.toLowerCase());
  }

  list(): EntityRow[] {
    return [...this.cache.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  subscriptionsOf(topic: string): EntityRow[] {
    return this.list().filter((e) => e.kind === 'subscription' && e.topic?.toLowerCase() === topic.toLowerCase());
  }

  /** The queue or topic `name` sends to; an unknown name becomes a queue. */
  resolveTarget(name: string): EntityRow {
    checkEntityName(name);
    if (parseSubscriptionPath(name)) throw new BrokerError(400, `Send to the topic of "${name}", not to the subscription.`);
    return this.get(name) ?? this.declare(name, 'queue');
  }

  declareQueue(name: string): EntityRow {
    return this.declare(checkEntityName(name), 'queue');
  }

  declareTopic(name: string): EntityRow {
    return this.declare(checkEntityName(name), 'topic');
  }

  declareSubscription(topic: string, subscription: string): EntityRow {
    this.declareTopic(topic);
    return this.declare(checkEntityName(subscriptionPath(topic, subscription)), 'subscription', this.get(topic)!.name);
  }

  maxDeliveryCount(name: string): number {
    return this.get(name)?.max_delivery_count ?? this.defaultMaxDeliveryCount;
  }

  /** Overrides (or, with null, resets) the entity's max delivery count. */
  setMaxDeliveryCount(name: string, value: number | null): EntityRow {
    const row = this.get(name);
    if (!row) throw new BrokerError(404, `No entity "${name}".`);
    this.db.prepare('UPDATE sb_entities SET max_delivery_count = ? WHERE name = ?').run(value, row.name);
    row.max_delivery_count = value;
    return row;
  }

  private declare(name: string, kind: EntityKind, topic: string | null = null): EntityRow {
    const existing = this.get(name);
    if (existing?.kind === kind) return existing;
    if (existing) {
      if (existing.kind === 'topic' && kind === 'queue') {
        this.warn('a Service Bus topic is used as a queue; it is kept as a topic', { entity: name });
        return existing;
      }
      this.warn('a Service Bus queue is now used as a topic; its pending messages go to its subscriptions', { entity: name });
      this.db.prepare('UPDATE sb_entities SET kind = ? WHERE name = ?').run(kind, existing.name);
      existing.kind = kind;
      return existing;
    }
    const row: EntityRow = { name, kind, topic, max_delivery_count: null };
    this.db.prepare('INSERT INTO sb_entities (name, kind, topic, created_at) VALUES (?, ?, ?, ?)').run(name, kind, topic, Date.now());
    this.cache.set(name.toLowerCase(), row);
    return row;
  }
}
