import SQLKit

/// The seed's tables plus what idempotency and the services' own state need. Written once with SQLKit, so the
/// same migration creates the schema in SQLite and in PostgreSQL.
public enum SchemaV1 {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "event outbox and idempotency", apply: outbox),
        Migration(version: 2, name: "onboarding: questions, sessions, answers", apply: onboarding),
        Migration(version: 3, name: "profiles, trait history, signatures", apply: profiles),
        Migration(version: 4, name: "conversations and insights", apply: conversations),
        Migration(version: 5, name: "service-owned state", apply: serviceState),
        Migration(version: 6, name: "selection: answer signals and break offers", apply: selectionSignals),
        Migration(version: 7, name: "gateway: inputs already handled", apply: receivedInputs),
        Migration(version: 8, name: "model usage and profile vectors", apply: modelUsageAndVectors),
        Migration(version: 9, name: "outbox: index of pending rows in relay order", apply: pendingOutboxIndex),
        Migration(version: 10, name: "trait history: index of a trait's recent values", apply: recentTraitIndex),
        Migration(version: 11, name: "outbox: rows written wake the relays", apply: outboxNotifyTrigger),
        Migration(version: 12, name: "outbox: rows leased to a relay wake no other", apply: unleasedOutboxNotify),
        Migration(version: 13, name: "outgoing messages: index of the unsent in queue order", apply: unsentIndex),
        Migration(version: 14, name: "gateway: index of handled inputs by age", apply: receivedInputsAge),
        Migration(version: 15, name: "SQLite: ids of messages and outbox rows never come back", apply: idsNeverReused),
        Migration(version: 16, name: "people who asked to be forgotten", apply: erasedPeople),
        Migration(version: 17, name: "gateway: parts of people's copies of their data", apply: dataCopyParts),
    ]

    /// SQLite gives a new row the largest id plus one, so deleting the newest rows hands their ids out again, and
    /// the dispatcher, which remembers the ids it sent lately, would take a new message for one already sent and
    /// never send it. /forget deletes a person's newest messages and events; AUTOINCREMENT forbids the reuse. Its
    /// cost is one more write per insert statement, to `sqlite_sequence`. SQLite cannot add it to a table, so
    /// both are copied into new ones. PostgreSQL's sequences never go back.
    static func idsNeverReused(_ db: any SQLDatabase) async throws {
        guard !db.isPostgres else { return }
        try await rebuild(
            "outgoing_messages",
            columns: #""user_id" TEXT NOT NULL, "body" TEXT NOT NULL, "created_at" REAL NOT NULL, "sent_at" REAL"#,
            indexes: ["CREATE INDEX outgoing_unsent ON outgoing_messages (id) WHERE sent_at IS NULL"], in: db)
        try await rebuild(
            "event_outbox",
            columns: #""event_id" TEXT NOT NULL UNIQUE, "event_type" TEXT NOT NULL, "event_version" INTEGER NOT NULL, "#
                + #""user_id" TEXT NOT NULL, "trace_id" TEXT NOT NULL, "occurred_at" REAL NOT NULL, "#
                + #""payload" TEXT NOT NULL, "status" TEXT NOT NULL, "attempts" INTEGER NOT NULL DEFAULT 0, "#
                + #""next_attempt_at" REAL, "last_error" TEXT, "created_at" REAL NOT NULL, "published_at" REAL"#,
            indexes: [
                "CREATE INDEX event_outbox_status_created ON event_outbox (status, created_at)",
                "CREATE INDEX event_outbox_trace ON event_outbox (trace_id)",
                "CREATE INDEX event_outbox_pending ON event_outbox (id) WHERE status = 'pending'",
            ], in: db)
    }

    /// Copies a SQLite table into one whose `id` is `INTEGER PRIMARY KEY AUTOINCREMENT` with these other columns
    /// (as they are now), then puts it in the old one's place with these indexes.
    private static func rebuild(_ table: String, columns: String, indexes: [String], in db: any SQLDatabase)
        async throws
    {
        let copy = table + "_rebuilt"
        try await db.raw(
            "CREATE TABLE \(unsafeRaw: copy) (id INTEGER PRIMARY KEY AUTOINCREMENT, \(unsafeRaw: columns))"
        )
        .run()
        try await db.raw("INSERT INTO \(unsafeRaw: copy) SELECT * FROM \(unsafeRaw: table)").run()
        try await db.raw("DROP TABLE \(unsafeRaw: table)").run()
        try await db.raw("ALTER TABLE \(unsafeRaw: copy) RENAME TO \(unsafeRaw: table)").run()
        for index in indexes { try await db.raw("\(unsafeRaw: index)").run() }
    }

    /// Per consumer group, the people it has forgotten after /forget and the trace of that erasure
    /// (`PersonErasure`).
    static func erasedPeople(_ db: any SQLDatabase) async throws {
        try await db.create(table: PersonErasure.table)
            .column("consumer", type: .text, .notNull)
            .column("user_id", type: .text, .notNull)
            .column("trace_id", type: .text, .notNull)
            .column("erased_at", type: db.timestamp, .notNull)
            .primaryKey("consumer", "user_id")
            .run()
    }

    /// The gateway keeps each service's part of a person's copy of their data (/mydata) until the last one comes
    /// in (`DataCopies`). Text, not JSON: the store never looks inside.
    static func dataCopyParts(_ db: any SQLDatabase) async throws {
        try await db.create(table: DataCopies.table)
            .column("user_id", type: .text, .notNull)
            .column("trace_id", type: .text, .notNull)
            .column("consumer", type: .text, .notNull)
            .column("part", type: .text, .notNull)
            .column("received_at", type: db.timestamp, .notNull)
            .primaryKey("user_id", "trace_id", "consumer")
            .run()
        try await db.create(index: "\(DataCopies.table)_age").on(DataCopies.table).column("received_at").run()
    }

    /// The gateway's housekeeping deletes the ids of inputs handled longer ago than its retention
    /// (`GatewayHousekeeping`); their ids are not in time order, so without this it read them all.
    static func receivedInputsAge(_ db: any SQLDatabase) async throws {
        try await db.create(index: "received_inputs_age").on("received_inputs").column("received_at").run()
    }

    /// The dispatcher read the unsent messages in id order several times per answer (before it took hand-overs,
    /// it still reads them at start and on its poll). With (sent_at, id) indexed,
    /// PostgreSQL found them by the index and sorted them anyway, and the index kept an entry for every message
    /// ever sent. Only the unsent, in id order, is what the read needs: in one run of 1,600 answers the reads took
    /// 151 ms of PostgreSQL's execution time instead of 1,824 (pg_stat_statements), though the CPU per answer did
    /// not move beyond the machine's noise.
    static func unsentIndex(_ db: any SQLDatabase) async throws {
        try await db.raw("DROP INDEX outgoing_unsent").run()
        try await db.raw("CREATE INDEX outgoing_unsent ON outgoing_messages (id) WHERE sent_at IS NULL").run()
    }

    /// PostgreSQL: a statement that writes outbox rows notifies the relays on `<schema>_outbox` (delivered at
    /// commit, once per transaction however many statements wrote rows). The producers sent the notification
    /// themselves before, one more statement and round trip in every transaction that emits events. SQLite has
    /// no other process to wake.
    static func outboxNotifyTrigger(_ db: any SQLDatabase) async throws {
        guard db.isPostgres else { return }
        try await db.raw(
            """
            CREATE FUNCTION event_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(TG_TABLE_SCHEMA || \(literal: OutboxStore.outboxChannelSuffix), '');
                RETURN NULL;
            END $$
            """
        ).run()
        try await db.raw(
            """
            CREATE TRIGGER event_outbox_notify AFTER INSERT ON event_outbox
            FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_notify()
            """
        ).run()
    }

    /// PostgreSQL: only rows written for any relay to find notify the relays. Rows leased to the writing process's
    /// relay (`RelayHandoff`) reach it in memory, and a notification would only wake every relay for nothing.
    /// Per row, as a statement trigger cannot look at the rows; PostgreSQL sends one notification per
    /// transaction all the same, as they are alike.
    static func unleasedOutboxNotify(_ db: any SQLDatabase) async throws {
        guard db.isPostgres else { return }
        try await db.raw("DROP TRIGGER event_outbox_notify ON event_outbox").run()
        try await db.raw(
            """
            CREATE TRIGGER event_outbox_notify AFTER INSERT ON event_outbox
            FOR EACH ROW WHEN (NEW.next_attempt_at IS NULL) EXECUTE FUNCTION event_outbox_notify()
            """
        ).run()
    }

    /// Trait evolution reads the last values of each changed trait. With only (user_id, timestamp) indexed, that
    /// read scanned and sorted the person's whole history for every trait of every update, so its cost grew
    /// with how long they had used the bot.
    static func recentTraitIndex(_ db: any SQLDatabase) async throws {
        try await db.create(index: "trait_history_recent").on("trait_history")
            .column("user_id").column("trait_category").column("trait_name").column("id").run()
    }

    /// The relay asks for the oldest pending rows by id. The (status, created_at) index does not give id order,
    /// so PostgreSQL walked the primary key through every published row still retained to find the pending
    /// ones: 3.6 ms a batch with 7,000 rows in a benchmark, and linear in the retention. A partial index holds
    /// only the pending rows, so the relay's read costs the same however many published rows are kept.
    static func pendingOutboxIndex(_ db: any SQLDatabase) async throws {
        try await db.raw("CREATE INDEX event_outbox_pending ON event_outbox (id) WHERE status = 'pending'").run()
    }

    /// What every model call cost, summed per day, person, task, tier and model (the budgets read it), and one
    /// embedding per person with the model that made it: profile storage's own, and the coach's copy of it.
    static func modelUsageAndVectors(_ db: any SQLDatabase) async throws {
        try await db.create(table: "ai_usage")
            .column("day", type: .text, .notNull)
            .column("user_id", type: .text, .notNull)
            .column("task", type: .text, .notNull)
            .column("tier", type: .text, .notNull)
            .column("model", type: .text, .notNull)
            .column("calls", type: .bigint, .notNull)
            .column("failures", type: .bigint, .notNull)
            .column("input_tokens", type: .bigint, .notNull)
            .column("output_tokens", type: .bigint, .notNull)
            .column("cost_micros", type: .bigint, .notNull)
            .primaryKey("day", "user_id", "task", "tier", "model")
            .run()
        try await db.create(index: "ai_usage_day").on("ai_usage").column("day").run()
        for table in [SQLVectorIndex.profileStorage, SQLVectorIndex.coach] {
            try await db.create(table: table)
                .column("user_id", type: .text, .primaryKey(autoIncrement: false))
                .column("model", type: .text, .notNull)
                .column("dimensions", type: .int, .notNull)
                // Little-endian float32s: 2 KiB for 512 dimensions, the same bytes in SQLite and PostgreSQL.
                .column("vector", type: .blob, .notNull)
                .column("summary", type: .text, .notNull)
                .column("created_at", type: db.timestamp, .notNull)
                .run()
            try await db.create(index: "\(table)_model").on(table).column("model").run()
        }
    }

    /// Inputs named at their source (Telegram update ids) that were handled, so a redelivery changes nothing.
    static func receivedInputs(_ db: any SQLDatabase) async throws {
        try await db.create(table: "received_inputs")
            .column("input_id", type: .text, .primaryKey(autoIncrement: false))
            .column("received_at", type: db.timestamp, .notNull)
            .run()
    }

    /// What Smart Mix needs to judge trust and fatigue, and the breaks it has offered.
    static func selectionSignals(_ db: any SQLDatabase) async throws {
        let columns: [(table: String, name: String, type: SQLDataType, constraints: [SQLColumnConstraintAlgorithm])] = [
            ("asked_questions", "valence", db.double, []),
            ("asked_questions", "word_count", .int, []),
            ("asked_questions", "response_seconds", db.double, []),
            ("asked_questions", "said_tired", .int, [.notNull, .default(0)]),
            ("selection_sessions", "break_offers", .int, [.notNull, .default(0)]),
            ("selection_sessions", "last_break_offer_at", .int, []),
        ]
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in columns {
            try await db.alter(table: column.table).column(column.name, type: column.type, column.constraints).run()
        }
    }

    static func outbox(_ db: any SQLDatabase) async throws {
        try await db.create(table: "event_outbox")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("event_id", type: .text, .notNull, .unique)
            .column("event_type", type: .text, .notNull)
            .column("event_version", type: .int, .notNull)
            .column("user_id", type: .text, .notNull)
            .column("trace_id", type: .text, .notNull)
            .column("occurred_at", type: db.timestamp, .notNull)
            .column("payload", type: db.json, .notNull)
            .column("status", type: .text, .notNull)
            .column("attempts", type: .int, .notNull, .default(0))
            .column("next_attempt_at", type: db.timestamp)
            .column("last_error", type: .text)
            .column("created_at", type: db.timestamp, .notNull)
            .column("published_at", type: db.timestamp)
            .run()
        try await db.create(index: "event_outbox_status_created").on("event_outbox")
            .column("status").column("created_at").run()
        try await db.create(index: "event_outbox_trace").on("event_outbox").column("trace_id").run()

        // One row per (consumer group, event) applied: written in the same transaction as the effect.
        try await db.create(table: "processed_events")
            .column("consumer", type: .text, .notNull)
            .column("event_id", type: .text, .notNull)
            .column("processed_at", type: db.timestamp, .notNull)
            .primaryKey("consumer", "event_id")
            .run()
        try await db.create(table: "dead_letters")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("consumer", type: .text, .notNull)
            .column("event_id", type: .text, .notNull)
            .column("event_type", type: .text, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("error", type: .text, .notNull)
            .column("failed_at", type: db.timestamp, .notNull)
            .run()
    }

    static func onboarding(_ db: any SQLDatabase) async throws {
        try await db.create(table: "questions_metadata")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("question_id", type: .text, .notNull, .unique)
            .column("question_text", type: .text, .notNull)
            .column("question_text_ru", type: .text, .notNull)
            .column("domain", type: .text, .notNull)
            .column("depth_level", type: .text, .notNull)
            .column("energy_dynamics", type: .text, .notNull)
            .column("safety_level", type: .int, .notNull)
            .column("answer_kind", type: .text, .notNull)
            .column("trait", type: .text)
            .column("reverse_keyed", type: .int, .notNull, .default(0))
            .run()
        try await db.create(index: "questions_domain_depth").on("questions_metadata")
            .column("domain").column("depth_level").run()
        try await db.create(index: "questions_energy").on("questions_metadata").column("energy_dynamics").run()

        try await db.create(table: "onboarding_sessions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("language", type: .text, .notNull)
            .column("target_answers", type: .int, .notNull)
            .column("answers_count", type: .int, .notNull, .default(0))
            .column("started_at", type: db.timestamp, .notNull)
            .column("last_activity_at", type: db.timestamp, .notNull)
            .column("timeout_at", type: db.timestamp, .notNull)
            .column("completed_at", type: db.timestamp)
            .column("completion_reason", type: .text)
            .run()
        try await db.create(index: "sessions_user_status").on("onboarding_sessions")
            .column("user_id").column("status").run()
        try await db.create(index: "sessions_timeout").on("onboarding_sessions").column("timeout_at").run()

        try await db.create(table: "user_answers_new")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("event_id", type: .text, .notNull, .unique)
            .column("user_id", type: .text, .notNull)
            .column("session_id", type: .text, .notNull)
            .column("question_id", type: .text, .notNull)
            .column("answer_text", type: .text, .notNull)
            .column("scale_value", type: .int)
            .column("created_at", type: db.timestamp, .notNull)
            .run()
        try await db.create(index: "answers_user_session").on("user_answers_new")
            .column("user_id").column("session_id").run()
        try await db.create(index: "answers_question").on("user_answers_new").column("question_id").run()
    }

    static func profiles(_ db: any SQLDatabase) async throws {
        try await db.create(table: "personality_profiles")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull, .unique)
            .column("profile_data", type: db.json, .notNull)
            .column("version", type: .int, .notNull)
            .column("created_at", type: db.timestamp, .notNull)
            .column("updated_at", type: db.timestamp, .notNull)
            .run()
        if db.isPostgres {
            try await db.raw("CREATE INDEX profiles_data_gin ON personality_profiles USING GIN (profile_data)").run()
        }

        try await db.create(table: "trait_history")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull)
            .column("trait_category", type: .text, .notNull)
            .column("trait_name", type: .text, .notNull)
            .column("old_value", type: db.double)
            .column("new_value", type: db.double, .notNull)
            .column("confidence", type: db.double, .notNull)
            .column("trigger", type: .text, .notNull)
            .column("timestamp", type: db.timestamp, .notNull)
            .run()
        try await db.create(index: "trait_history_user_time").on("trait_history")
            .column("user_id").column("timestamp").run()
        try await db.create(index: "trait_history_name").on("trait_history").column("trait_name").run()

        try await db.create(table: "unique_signatures")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull, .unique)
            .column("thinking_style", type: .text, .notNull)
            .column("decision_pattern", type: .text, .notNull)
            .column("energy_rhythm", type: .text, .notNull)
            .column("updated_at", type: db.timestamp, .notNull)
            .run()
    }

    static func conversations(_ db: any SQLDatabase) async throws {
        try await db.create(table: "conversations")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull)
            .column("role", type: .text, .notNull)
            .column("content", type: .text, .notNull)
            .column("created_at", type: db.timestamp, .notNull)
            .run()
        try await db.create(index: "conversations_user_time").on("conversations")
            .column("user_id").column("created_at").run()

        try await db.create(table: "insights")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull)
            .column("insight_type", type: .text, .notNull)
            .column("content", type: .text, .notNull)
            .column("created_at", type: db.timestamp, .notNull)
            .run()
        try await db.create(index: "insights_user_time").on("insights").column("user_id").column("created_at").run()
    }

    /// State each service keeps for itself, built from the events it consumes.
    static func serviceState(_ db: any SQLDatabase) async throws {
        // Gateway: consented people's conversation state, and messages waiting to be delivered.
        try await db.create(table: "gateway_users")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false))
            .column("state", type: db.json, .notNull)
            .column("updated_at", type: db.timestamp, .notNull)
            .run()
        try await db.create(table: "outgoing_messages")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull)
            .column("body", type: db.json, .notNull)
            .column("created_at", type: db.timestamp, .notNull)
            .column("sent_at", type: db.timestamp)
            .run()
        try await db.create(index: "outgoing_unsent").on("outgoing_messages").column("sent_at").column("id").run()

        // Question selection: each session's progress and every question a person has been shown.
        try await db.create(table: "selection_sessions")
            .column("session_id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull)
            .column("target_answers", type: .int, .notNull)
            .column("answered_count", type: .int, .notNull)
            .column("status", type: .text, .notNull)
            .column("pending_question_id", type: .text)
            .run()
        try await db.create(table: "asked_questions")
            .column("user_id", type: .text, .notNull)
            .column("question_id", type: .text, .notNull)
            .column("session_id", type: .text, .notNull)
            .column("ordinal", type: .int, .notNull)
            .column("status", type: .text, .notNull)
            .column("quality", type: db.double)
            .column("asked_at", type: db.timestamp, .notNull)
            .primaryKey("user_id", "question_id")
            .run()
        try await db.create(index: "asked_questions_session").on("asked_questions")
            .column("session_id").column("ordinal").run()

        // Profile storage: the latest evolution pattern per trait, for the profile view.
        try await db.create(table: "profile_patterns")
            .column("user_id", type: .text, .notNull)
            .column("trait_category", type: .text, .notNull)
            .column("trait_name", type: .text, .notNull)
            .column("pattern", type: .text, .notNull)
            .column("strength", type: db.double, .notNull)
            .column("points", type: .int, .notNull)
            .column("detected_at", type: db.timestamp, .notNull)
            .primaryKey("user_id", "trait_category", "trait_name")
            .run()

        // Trait evolution: the pattern last announced per trait, so an unchanged pattern is not announced again.
        try await db.create(table: "evolution_announcements")
            .column("user_id", type: .text, .notNull)
            .column("trait_category", type: .text, .notNull)
            .column("trait_name", type: .text, .notNull)
            .column("pattern", type: .text, .notNull)
            .primaryKey("user_id", "trait_category", "trait_name")
            .run()

        // Coach: its copy of each profile, from profile.updated.
        try await db.create(table: "coach_profiles")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false))
            .column("profile", type: db.json, .notNull)
            .column("version", type: .int, .notNull)
            .run()
    }
}
