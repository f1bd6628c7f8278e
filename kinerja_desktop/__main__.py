from kinerja_desktop.cli import main

raise SystemExit(main())
