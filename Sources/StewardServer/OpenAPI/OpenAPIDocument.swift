/// The OpenAPI document of the API, served at `/openapi.yaml`.
///
/// A copy of `docs/openapi.yaml` (a test checks that the two are the same and that the router
/// serves exactly the documented operations). Regenerate after editing the document:
/// `python3 scripts/embed-openapi.py`.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: Steward control plane API
  version: 1.0.0
  description: |
    The HTTP API of `steward server`: namespaces and members, service definitions, services,
    their history and their instances' logs, and a watch stream of changes.

    Every `/api/v1` request is signed with an Ed25519 identity. The signer sends the headers
    `Steward-Id` (hex public key), `Steward-Timestamp` (unix seconds), `Steward-Nonce`
    (32 random hex characters), `Steward-Content-SHA256` (hex SHA-256 of the body, of the empty
    body for GET and DELETE) and `Steward-Signature`: base64 of the Ed25519 signature over the
    lines `STEWARD-ED25519-V1`, the upper-case method, the path and query as sent, the
    timestamp, the nonce and the body digest, joined by a newline. Requests that are unsigned,
    badly signed, more than 300 s off the server clock, or replayed get 401.

    Rights: owners of a namespace manage its definitions, members and service status; members
    and owners manage and read services and read definitions. A namespace the caller does not
    belong to answers 404, like one that does not exist.

    Errors have one shape, `{"error": {"code", "message", "field"}}`: 400 invalid input,
    401 not authenticated, 403 not allowed, 404 missing, 409 conflict, 413 body too large
    (more than 1,048,576 bytes by default, with `Content-Length` or chunked). JSON nested deeper
    than 512 levels is refused with 400.

    Connections: a request head must arrive within 10 s (`steward server --header-timeout`) and
    a kept-alive connection may idle 60 s between requests (`--idle-timeout`); slower ones are
    closed. Streams and long polls are not cut. At the connection limit (`--max-connections`)
    a new connection closes the longest-idle one, or gets 503 `unavailable` when all are busy.
servers:
  - url: http://127.0.0.1:7700
security:
  - stewardSignature: []
paths:
  /healthz:
    get:
      operationId: health
      summary: Liveness check.
      security: []
      responses:
        '200':
          description: The server is up.
          content:
            text/plain:
              schema:
                type: string
                const: ok
  /openapi.yaml:
    get:
      operationId: openAPIDocument
      summary: This document.
      security: []
      responses:
        '200':
          description: The OpenAPI document.
          content:
            application/yaml:
              schema:
                type: string
  /api/v1/whoami:
    get:
      operationId: whoami
      summary: The caller's identity and namespaces.
      responses:
        '200':
          description: The caller.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WhoAmI'
        '401':
          $ref: '#/components/responses/Unauthenticated'
  /api/v1/namespaces:
    get:
      operationId: listNamespaces
      summary: The namespaces the caller belongs to, with its role in each.
      responses:
        '200':
          description: Namespaces.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Namespace'
        '401':
          $ref: '#/components/responses/Unauthenticated'
    post:
      operationId: createNamespace
      summary: Creates a namespace (owners of namespace `default` only).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                  description: Lower-case letter first, then a-z, 0-9 and '-', not ending with '-', at most 30 characters.
                owner:
                  type: string
                  description: Identity id of the first owner; the caller when absent.
      responses:
        '201':
          description: The namespace.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Namespace'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/members:
    parameters:
      - $ref: '#/components/parameters/Namespace'
    get:
      operationId: listMembers
      summary: Members of a namespace.
      responses:
        '200':
          description: Members.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Member'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: addMember
      summary: Adds a member or changes a member's role (owners only).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [id]
              properties:
                id:
                  type: string
                  description: Identity id (64 hex characters).
                role:
                  $ref: '#/components/schemas/Role'
      responses:
        '201':
          description: The member.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Member'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/members/{id}:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - name: id
        in: path
        required: true
        schema:
          type: string
    delete:
      operationId: removeMember
      summary: Removes a member (owners only; the last owner cannot be removed).
      responses:
        '204':
          description: Removed.
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/definitions:
    parameters:
      - $ref: '#/components/parameters/Namespace'
    get:
      operationId: listDefinitions
      summary: Service definitions of a namespace.
      parameters:
        - $ref: '#/components/parameters/Limit'
        - $ref: '#/components/parameters/Continue'
      responses:
        '200':
          description: Definitions, by name.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/ServiceDefinition'
                  continue:
                    type: string
                    description: Present when more items follow; pass it as `continue` for the next page.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createDefinition
      summary: Adds a service definition (owners only). Its schema is compiled; an invalid schema is refused with the reason.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ServiceDefinition'
      responses:
        '201':
          description: The stored definition.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ServiceDefinition'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          description: A definition of that name, or of that kind, exists in the namespace.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
  /api/v1/namespaces/{ns}/definitions/{name}:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - name: name
        in: path
        required: true
        schema:
          type: string
    get:
      operationId: getDefinition
      summary: One service definition.
      responses:
        '200':
          description: The definition.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ServiceDefinition'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    put:
      operationId: updateDefinition
      summary: Replaces a definition's spec (owners only). A stale metadata.resourceVersion gets 409.
      description: >-
        The schema is compiled and each `default` checked against its own subschema (400 naming
        `spec.schema.<path>.default` otherwise). The existing services of the kind are then checked
        against the new schema, defaults applied; they stay stored, and `revalidation` says how
        many no longer validate.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ServiceDefinition'
      responses:
        '200':
          description: The stored definition, with the revalidation of the kind's existing services.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/ServiceDefinition'
                  - type: object
                    required: [revalidation]
                    properties:
                      revalidation:
                        $ref: '#/components/schemas/ServiceRevalidation'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
    delete:
      operationId: deleteDefinition
      summary: Removes a definition (owners only); 409 `N service(s) of kind 'K' still exist` while services of its kind exist.
      responses:
        '204':
          description: Removed.
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/services:
    parameters:
      - $ref: '#/components/parameters/Namespace'
    get:
      operationId: listServices
      summary: Services of a namespace, by name, optionally of one kind and with given labels.
      parameters:
        - name: kind
          in: query
          required: false
          schema:
            type: string
        - name: labelSelector
          in: query
          required: false
          description: >-
            Comma-separated key=value pairs that every listed service carries, e.g.
            `app=web,tier=front`. Keys and values follow the label syntax (see Service
            metadata.labels); a malformed selector is 400 with field `labelSelector`, e.g.
            `label selector 'a==' is malformed: the value "=" of "a" is not valid: ...`.
          schema:
            type: string
        - $ref: '#/components/parameters/Limit'
        - $ref: '#/components/parameters/Continue'
      responses:
        '200':
          description: >-
            Services and the store revision of the read (watch from it to follow changes). Every page
            of a paged list reports the revision of its first page; later pages may already show
            writes made after it, which a watch from that revision replays.
          content:
            application/json:
              schema:
                type: object
                required: [items, revision]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Service'
                  revision:
                    type: integer
                  continue:
                    type: string
                    description: Present when more items follow; pass it as `continue` for the next page.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createService
      summary: Adds a service (members and owners). The definition of its kind supplies defaults and validates the spec.
      description: |
        400 `ServiceDefinition for kind 'X' not found in namespace 'N'` when the kind has no
        definition; 400 `service validation failed: ...` (field = first failing path) when the
        spec does not match the schema; 400 when the name breaks the name rules; 409 when a
        service of that name exists.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Service'
      responses:
        '201':
          description: The stored service (defaults applied, generation 1).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Service'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
  /api/v1/namespaces/{ns}/services/{name}:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    get:
      operationId: getService
      summary: One service.
      responses:
        '200':
          description: The service.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Service'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    put:
      operationId: updateService
      summary: Replaces a service's spec, labels, annotations and finalizers (members and owners).
      description: |
        `status` in the body is ignored. When `metadata.resourceVersion` is present and not the
        current one, 409. `generation` moves only when the spec changes; `resourceVersion`
        moves on every write.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Service'
      responses:
        '200':
          description: The stored service.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Service'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
    delete:
      operationId: deleteService
      summary: >-
        Removes a service (members and owners). When its kind has a handler, the service is marked
        deleting (deletionTimestamp and the finalizer steward.io/reconciler), a delete process is
        enqueued, and the service disappears when the reconciler closes it successfully; a create
        that no executor received yet is dropped and the service removed at once. force=true
        removes at once, also a service already marked deleting. 200 means the service is gone,
        202 that it is marked deleting.
      parameters:
        - name: force
          in: query
          schema:
            type: boolean
      responses:
        '200':
          description: The removed service, gone now (a forced removal of a service marked deleting keeps its deletionTimestamp).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Service'
        '202':
          description: The service, marked deleting; it disappears when its reconciler closes the delete process.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Service'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/services/{name}/history:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    get:
      operationId: serviceHistory
      summary: The spec changes of a service, newest first.
      parameters:
        - $ref: '#/components/parameters/Limit'
        - $ref: '#/components/parameters/Continue'
      responses:
        '200':
          description: History entries.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/HistoryEntry'
                  continue:
                    type: string
                    description: Present when more items follow; pass it as `continue` for the next page.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/services/{name}/logs:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    get:
      operationId: serviceLogs
      summary: The logs of a service's instances (stdout and stderr), as plain text, streamed.
      description: |
        Any member of the namespace may read them. Without `instance`, the current instance of
        every replica is read; the lines of each are prefixed with its replica's name, as
        `docker compose logs` does (`web-1 | `), and the instances' lines are interleaved by
        time. One instance's
        bytes come as they were written (with `timestamps`, each line starts with its time).
        Rotated files are read oldest first.

        With `follow=true` the response goes on as the current instances write, until the client
        closes the connection or the server shuts down; a replica is followed across restarts
        (its next instance once the current one's log is read to its end), unless `instance`
        names one instance. A previous instance has ended and is only read. A service that has no logs yet answers an empty body, followed or not.

        Line times come from an index that the supervisor's log check (every 2 s) appends to
        while a file grows: a line's time is at most that much after it was written, and
        `since` selects with the same precision.

        Errors: 400 for a bad parameter (`field` names it), 404 for a service that does not
        exist, an `instance` the service does not have (the message lists its replicas and
        instances) or `previous` where there is no previous instance (the message names the
        replica), 503 from a server that runs no supervisor.
      parameters:
        - name: instance
          in: query
          required: false
          description: An instance id (`web-1-0192a3b4c5d6`) or a replica name (`web-1`, its current instance).
          schema:
            type: string
        - name: previous
          in: query
          required: false
          description: The instance before the selected one (the one that ran before the current one).
          schema:
            type: boolean
        - name: tail
          in: query
          required: false
          description: Only the last lines of each instance.
          schema:
            type: integer
            minimum: 0
            maximum: 1000000
        - name: since
          in: query
          required: false
          description: Only lines written within this long before now, such as `10m`, `30s`, `2h` or `500ms`.
          schema:
            type: string
            pattern: '^[0-9]+(\.[0-9]+)?(ms|s|m|h)$'
        - name: timestamps
          in: query
          required: false
          description: Start each line with its time (RFC 3339, UTC, milliseconds) and a space.
          schema:
            type: boolean
        - name: follow
          in: query
          required: false
          description: Go on streaming as the logs grow.
          schema:
            type: boolean
      responses:
        '200':
          description: The log lines.
          content:
            text/plain:
              schema:
                type: string
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
        '503':
          description: The server runs no supervisor, so it keeps no instance logs (code `unavailable`).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
  /api/v1/namespaces/{ns}/services/{name}/status:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    put:
      operationId: updateServiceStatus
      summary: Replaces a service's status (owners, and identities with an executor of the kind's handler.executorType). Generation does not change; no process is enqueued.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [status]
              properties:
                status:
                  type: object
                metadata:
                  type: object
                  properties:
                    resourceVersion:
                      type: string
      responses:
        '200':
          description: The stored service.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Service'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/watch:
    parameters:
      - $ref: '#/components/parameters/Namespace'
    get:
      operationId: watch
      summary: Server-Sent Events of the namespace's changes.
      description: |
        Events with a revision above `from` are replayed from the event log, then live events
        follow. Each message has `id: <revision>`, `event: ADDED|MODIFIED|DELETED` and
        `data: <WatchEvent JSON>`; a `: keepalive` comment is sent every 15 s. Without `from`,
        only changes after the current revision are sent. Reconnect with `from=<last id>`.

        The event log keeps events for a retention window (`steward server --event-retention`,
        default 1h), and always the newest event of each namespace. A `from` below the
        namespace's compacted revision answers 410 with code `gone`: list again and watch from
        the list's revision. A watch that falls behind compaction while it streams gets one
        `event: error` message whose `data` is the same error JSON, then the stream ends. A
        `from` above the current revision (the store's last write) answers 400 `invalid_input`
        (field `from`) naming the current revision: a stream from a revision that does not exist
        yet would skip the changes up to it.
      parameters:
        - name: from
          in: query
          required: false
          schema:
            type: integer
            minimum: 0
        - name: kind
          in: query
          required: false
          schema:
            type: string
      responses:
        '200':
          description: The event stream.
          content:
            text/event-stream:
              schema:
                type: string
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
        '410':
          $ref: '#/components/responses/Gone'
  /api/v1/namespaces/{ns}/services/{name}/reconcile:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    post:
      operationId: reconcileService
      summary: Enqueues a resync process for the service now (members and owners).
      responses:
        '202':
          description: The waiting process (merged into the service's waiting one if it had one).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Process'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/services/{name}/check:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    post:
      operationId: checkService
      summary: Runs the health check of every live instance of the service now (members and owners).
      description: |
        The node's supervisor runs each instance's `spec.healthCheck` at once, outside its
        schedule; an instance of a service without a check passes while its process runs. The
        results do not change the instances' readiness. 503 when the server runs no supervisor.
      responses:
        '200':
          description: One result per live instance.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      type: object
                      required: [instance, passed, message]
                      properties:
                        instance: {type: string}
                        passed: {type: boolean}
                        message: {type: string}
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '503':
          $ref: '#/components/responses/Unavailable'
  /api/v1/namespaces/{ns}/services/{name}/signal:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    post:
      operationId: signalService
      summary: Sends a signal to every live instance of the service, to its whole process group (members and owners).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [signal]
              properties:
                signal:
                  type: string
                  description: HUP, INT, QUIT, KILL, USR1, USR2, TERM, ALRM, WINCH, CONT, STOP, TSTP or PWR, with or without SIG.
                  example: USR1
      responses:
        '200':
          description: The signal sent and the instances it went to.
          content:
            application/json:
              schema:
                type: object
                required: [signal, instances]
                properties:
                  signal: {type: string}
                  instances:
                    type: array
                    items: {type: string}
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '503':
          $ref: '#/components/responses/Unavailable'
  /api/v1/namespaces/{ns}/services/{name}/reconciliation:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ServiceName'
    get:
      operationId: getServiceReconciliation
      summary: The service's latest process and the result of its last closed attempt.
      responses:
        '200':
          description: The summary.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReconciliationSummary'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/executors:
    parameters:
      - $ref: '#/components/parameters/Namespace'
    get:
      operationId: listExecutors
      summary: The executors registered in the namespace, with their last heartbeat.
      responses:
        '200':
          description: The executors.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Executor'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: registerExecutor
      summary: >-
        Registers the caller as an executor (members and owners). Registering again under the same
        name by the same identity returns the processes it held to the queue.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, executorType]
              properties:
                name:
                  type: string
                executorType:
                  type: string
                node:
                  type: string
      responses:
        '201':
          description: The executor.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Executor'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/executors/{name}:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - name: name
        in: path
        required: true
        schema:
          type: string
    get:
      operationId: getExecutor
      summary: One executor.
      responses:
        '200':
          description: The executor.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Executor'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
    delete:
      operationId: removeExecutor
      summary: Removes an executor (its identity or an owner); its running processes go back to the queue.
      responses:
        '204':
          description: Removed.
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/executors/{name}/assign:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - name: name
        in: path
        required: true
        schema:
          type: string
      - name: timeout
        in: query
        description: >-
          Seconds to wait for a process, 0 or more (default 30); larger values than the server's
          maximum (60 by default) wait the maximum. Negative or non-numeric values get 400.
        schema:
          type: number
          minimum: 0
    post:
      operationId: assignProcess
      summary: >-
        Long poll by the executor's identity: leases the oldest ready process of the executor's type
        whose service has no running process. The lease lasts the server's lease duration (30 s by
        default) and is extended by heartbeats.
      responses:
        '200':
          description: The process, now running and leased to this executor.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Process'
        '204':
          description: No process became ready within the timeout.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/processes:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - name: service
        in: query
        schema:
          type: string
      - name: state
        in: query
        schema:
          $ref: '#/components/schemas/ProcessState'
      - name: limit
        in: query
        description: The most processes in the page (100 when absent); anything but an integer from 1 to 10000 is refused with 400.
        schema:
          type: integer
          minimum: 1
          maximum: 10000
          default: 100
      - $ref: '#/components/parameters/Continue'
    get:
      operationId: listProcesses
      summary: Processes of the namespace, newest first.
      responses:
        '200':
          description: The processes.
          content:
            application/json:
              schema:
                type: object
                required: [items, uniqueIdPrefixLengths]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Process'
                  uniqueIdPrefixLengths:
                    type: array
                    description: >-
                      For each item, the length of the shortest prefix of its id that no other
                      process id of the store starts with (what `steward process ls` shows, and
                      what getProcess accepts). Ids are time-ordered, so ids made in the same
                      millisecond share their first 13 characters.
                    items:
                      type: integer
                  continue:
                    type: string
                    description: Present when more items follow; pass it as `continue` for the next page.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/processes/{id}:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ProcessID'
    get:
      operationId: getProcess
      summary: One process, by its id or by a prefix of its id that no other process of the namespace starts with.
      description: >-
        A prefix that several ids start with is refused with 400 (`invalid_input`, field `id`)
        naming up to ten of them; one that none starts with is 404.
      responses:
        '200':
          description: The process.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Process'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '404':
          $ref: '#/components/responses/NotFound'
  /api/v1/namespaces/{ns}/processes/{id}/heartbeat:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ProcessID'
    post:
      operationId: heartbeatProcess
      summary: >-
        Extends the lease of a running process held by the named executor (registered by the
        caller). 409 when another executor holds it now (its lease ran out and it was assigned
        again; the message names the holder) or it is no longer running.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [executor]
              properties:
                executor:
                  type: string
                  description: The name of the executor that holds the process.
      responses:
        '200':
          description: The process with its new leaseExpiresAt.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Process'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/namespaces/{ns}/processes/{id}/close:
    parameters:
      - $ref: '#/components/parameters/Namespace'
      - $ref: '#/components/parameters/ProcessID'
    post:
      operationId: closeProcess
      summary: >-
        Closes a running process held by the named executor (registered by the caller; 409
        naming the holder when another executor holds it now). Success finishes it (a delete
        process removes the service); failure queues it again after the service's backoff and
        sets the service's Reconciled condition to False with the error.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [executor, result]
              properties:
                executor:
                  type: string
                  description: The name of the executor that holds the process.
                result:
                  type: string
                  enum: [success, failure]
                error:
                  type: string
      responses:
        '200':
          description: The process after closing (succeeded, waiting for a retry, or superseded).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Process'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
  /api/v1/nodes:
    get:
      operationId: listNodes
      summary: >-
        Every node (the machines whose supervisors run ProcessDeployment instances), by name, with
        its state: Ready while it heartbeats, Unknown after the grace period (20 s) without one.
        Any member of some namespace may list them.
      responses:
        '200':
          description: The nodes.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Node'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
  /api/v1/nodes/{name}:
    parameters:
      - name: name
        in: path
        required: true
        description: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.
        schema:
          type: string
    get:
      operationId: getNode
      summary: One node.
      responses:
        '200':
          description: The node.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Node'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    put:
      operationId: heartbeatNode
      summary: >-
        Registers the node for the caller (a member of some namespace), or records the heartbeat of
        the node the caller registered: labels, memory capacity, processors, instances and version are
        replaced. A name registered by another identity is a conflict.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NodeHeartbeat'
      responses:
        '200':
          description: The node as stored, Ready.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Node'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '409':
          $ref: '#/components/responses/Conflict'
    delete:
      operationId: removeNode
      summary: Forgets a node (the identity that registered it, or an owner of the default namespace).
      responses:
        '204':
          description: Removed.
        '401':
          $ref: '#/components/responses/Unauthenticated'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
components:
  securitySchemes:
    stewardSignature:
      type: apiKey
      in: header
      name: Steward-Signature
      description: Ed25519 request signature; see the description above for the other four headers.
  parameters:
    Namespace:
      name: ns
      in: path
      required: true
      schema:
        type: string
    ServiceName:
      name: name
      in: path
      required: true
      schema:
        type: string
    ProcessID:
      name: id
      in: path
      required: true
      schema:
        type: string
    Limit:
      name: limit
      in: query
      required: false
      description: >-
        The most items in the page; without it the whole list. Anything but an integer from 1 to
        10000 is refused with 400 naming `limit`.
      schema:
        type: integer
        minimum: 1
        maximum: 10000
    Continue:
      name: continue
      in: query
      required: false
      description: >-
        The `continue` token of the previous page; send it with the same query (namespace and
        filters) as that page. Lists page by key set on their sort key, so a token stays good
        whatever is written between two pages: items that exist throughout are listed exactly
        once, items added or removed meanwhile may or may not appear. A token that does not
        decode, or that belongs to another list, is refused with 400 naming `continue`.
      schema:
        type: string
  responses:
    BadRequest:
      description: Invalid input; `field` names the offending field when known.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    Unauthenticated:
      description: >-
        Unsigned, badly signed, expired or replayed request. With field Steward-Timestamp: the
        request is older than the server's last restart; sign it again in the next second and
        send it once more.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    Forbidden:
      description: The caller's role does not allow this.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    Unavailable:
      description: The server runs no supervisor (started with --no-supervisor), so nothing runs the instances (code `unavailable`).
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    NotFound:
      description: No such object, or a namespace the caller does not belong to.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    Conflict:
      description: Exists already, still in use, or changed meanwhile (stale resourceVersion).
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    TooLarge:
      description: The body is larger than the server accepts.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
    Gone:
      description: |
        The events after the requested revision were compacted away (code `gone`); list again
        and watch from the list's revision.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code:
              type: string
              enum: [invalid_input, validation_failed, unauthenticated, forbidden, not_found, conflict, too_large, gone, internal, unavailable]
            message:
              type: string
            field:
              type: string
              description: Dotted path of the offending field, such as `spec.replicas` or `metadata.name`.
    Role:
      type: string
      enum: [member, owner]
    Namespace:
      type: object
      required: [name, createdAt]
      properties:
        name:
          type: string
        role:
          $ref: '#/components/schemas/Role'
        createdAt:
          type: string
          format: date-time
    WhoAmI:
      type: object
      required: [id, namespaces]
      properties:
        id:
          type: string
        namespaces:
          type: array
          items:
            type: object
            required: [name, role]
            properties:
              name:
                type: string
              role:
                $ref: '#/components/schemas/Role'
    Member:
      type: object
      required: [id, role, addedAt]
      properties:
        id:
          type: string
        role:
          $ref: '#/components/schemas/Role'
        addedAt:
          type: string
          format: date-time
    ServiceRevalidation:
      type: object
      description: The existing services of a kind checked against its definition's new schema.
      required: [checked, invalid, examples]
      properties:
        checked:
          type: integer
          description: Services of the kind.
        invalid:
          type: integer
          description: Services of the kind that no longer validate (they stay stored).
        examples:
          type: array
          description: The first five of them by name, with their validation errors.
          items:
            type: object
            required: [name, errors]
            properties:
              name:
                type: string
              errors:
                type: array
                items:
                  type: string
    ServiceDefinition:
      type: object
      required: [metadata, spec]
      properties:
        metadata:
          type: object
          required: [name]
          properties:
            name:
              type: string
            namespace:
              type: string
            uid:
              type: string
            generation:
              type: integer
            resourceVersion:
              type: [string, 'null']
            createdAt:
              type: [string, 'null']
              format: date-time
            updatedAt:
              type: [string, 'null']
              format: date-time
        spec:
          type: object
          required: [names]
          properties:
            group:
              type: string
            version:
              type: string
            names:
              type: object
              required: [kind]
              properties:
                kind:
                  type: string
                plural:
                  type: string
                singular:
                  type: string
            scope:
              type: string
              const: Namespaced
            schema:
              type: object
              description: JSON Schema (draft 2020-12) for the specs of services of this kind; optional.
            handler:
              type: object
              required: [executorType]
              properties:
                executorType:
                  type: string
                functionName:
                  type: string
                reconcileInterval:
                  type: integer
                  minimum: 0
                  maximum: 31536000
    Service:
      type: object
      required: [kind, metadata]
      properties:
        kind:
          type: string
        metadata:
          type: object
          required: [name]
          properties:
            name:
              type: string
              description: Lower-case letter first, then a-z, 0-9 and '-', not ending with '-', at most 32 characters with the '<namespace>-' prefix.
            namespace:
              type: string
            uid:
              type: string
            labels:
              type: object
              description: >-
                Kubernetes' label syntax, checked on create and update (400 naming
                `metadata.labels["key"]`). Key - an optional prefix (a DNS subdomain of at most 253
                characters - lower-case letters, digits, '-' and '.') and '/', then a name of 1 to 63
                characters - letters, digits, '-', '_' and '.', beginning and ending with a letter
                or digit. Value - empty, or of the form of a name.
              additionalProperties:
                type: string
            annotations:
              type: object
              additionalProperties:
                type: string
            generation:
              type: integer
            resourceVersion:
              type: [string, 'null']
            createdAt:
              type: [string, 'null']
              format: date-time
            updatedAt:
              type: [string, 'null']
              format: date-time
            finalizers:
              type: array
              items:
                type: string
            deletionTimestamp:
              type: [string, 'null']
              format: date-time
        spec:
          type: object
        status:
          type: object
    HistoryEntry:
      type: object
      required: [generation, spec, changeType, by, at]
      properties:
        generation:
          type: integer
        spec:
          type: object
        changeType:
          type: string
          enum: [created, updated, deleted]
        by:
          type: string
        at:
          type: string
          format: date-time
    WatchEvent:
      type: object
      required: [type, revision, objectType, object]
      properties:
        type:
          type: string
          enum: [ADDED, MODIFIED, DELETED]
        revision:
          type: integer
        objectType:
          type: string
          enum: [service, definition]
        object:
          type: object
    ProcessState:
      type: string
      enum: [waiting, running, succeeded, superseded, cancelled]
    Process:
      type: object
      required: [id, executorType, state, attempt, service, functionSpec]
      properties:
        id:
          type: string
        namespace:
          type: string
        executorType:
          type: string
        state:
          $ref: '#/components/schemas/ProcessState'
        attempt:
          type: integer
        service:
          type: object
          properties:
            name:
              type: string
            kind:
              type: string
            uid:
              type: string
        executor:
          type: [string, 'null']
        leaseExpiresAt:
          type: [string, 'null']
          format: date-time
        notBefore:
          type: [string, 'null']
          format: date-time
        error:
          type: [string, 'null']
        createdAt:
          type: string
          format: date-time
        assignedAt:
          type: [string, 'null']
          format: date-time
        closedAt:
          type: [string, 'null']
          format: date-time
        functionSpec:
          type: object
          required: [funcName, reconciliation]
          properties:
            funcName:
              type: string
            reconciliation:
              type: object
              required: [action, old, new]
              properties:
                action:
                  type: string
                  enum: [create, update, delete, resync]
                old:
                  type: [object, 'null']
                new:
                  type: [object, 'null']
    NodeHeartbeat:
      type: object
      properties:
        labels:
          type: object
          additionalProperties:
            type: string
        memoryCapacity:
          type: integer
          minimum: 0
          description: Bytes the node offers to memoryReservation.
        cpus:
          type: integer
          minimum: 0
        instances:
          type: integer
          minimum: 0
        version:
          type: string
          maxLength: 64
    Node:
      type: object
      required: [name, identity, state, labels, instances, registeredAt, lastHeartbeatAt]
      properties:
        name:
          type: string
        identity:
          type: string
        state:
          type: string
          enum: [Ready, Unknown]
        labels:
          type: object
          additionalProperties:
            type: string
        memoryCapacity:
          type: [integer, 'null']
        cpus:
          type: [integer, 'null']
        instances:
          type: integer
        version:
          type: string
        registeredAt:
          type: string
          format: date-time
        lastHeartbeatAt:
          type: string
          format: date-time
    Executor:
      type: object
      required: [name, executorType, node, identity]
      properties:
        name:
          type: string
        namespace:
          type: string
        executorType:
          type: string
        node:
          type: string
        identity:
          type: string
        registeredAt:
          type: string
          format: date-time
        lastHeartbeatAt:
          type: string
          format: date-time
    ReconciliationSummary:
      type: object
      properties:
        latest:
          oneOf:
            - $ref: '#/components/schemas/Process'
            - type: 'null'
        failures:
          type: integer
        lastResult:
          type: [string, 'null']
          enum: [succeeded, failed, null]
        lastError:
          type: [string, 'null']
        lastClosedAt:
          type: [string, 'null']
          format: date-time

"""#
}
