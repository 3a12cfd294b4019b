from iot_ingest.cli import main

raise SystemExit(main())
