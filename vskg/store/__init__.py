"""The store layer: one `Backend` interface and its implementations.

- `LocalStore` (`embedded`): pyoxigraph on a local folder, used by the command line and by tests;
- `RemoteStore` (`remote`): any SPARQL 1.1 server over the Protocol and the Graph Store Protocol (httpx);
- `EngineProcess` (`engine_process`): the local folder served by a managed `oxigraph serve` child, sandboxed in a
  network namespace of its own and reached through a private Unix socket; `vskg serve` reads and writes through it,
  with a `RemoteStore` in front of it.

Nothing outside this package opens a pyoxigraph database.
"""

from vskg.rdfio import MEDIA_TYPES as MEDIA_TYPES
from vskg.rdfio import file_format as file_format
from vskg.rdfio import parse_quads as parse_quads
from vskg.store.base import Backend as Backend
from vskg.store.base import BackendError as BackendError
from vskg.store.base import GraphStats as GraphStats
from vskg.store.base import QueryTimeout as QueryTimeout
from vskg.store.base import StoreStats as StoreStats
from vskg.store.embedded import LocalStore as LocalStore
from vskg.store.embedded import tidy_interrupted_load as tidy_interrupted_load
from vskg.store.journal import STAGING_JOURNAL as STAGING_JOURNAL
from vskg.store.journal import STAGING_PREFIX as STAGING_PREFIX
from vskg.store.journal import StagingJournal as StagingJournal
from vskg.store.locks import DEFAULT_STORE as DEFAULT_STORE
from vskg.store.locks import SERVICE_LOCK as SERVICE_LOCK
from vskg.store.locks import StoreInUse as StoreInUse
from vskg.store.locks import check_not_served as check_not_served
from vskg.store.locks import lock_for_service as lock_for_service
from vskg.store.locks import store_path as store_path

GraphStore = Backend  # the earlier name of the interface
