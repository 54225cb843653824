from proxylens.cli import main

raise SystemExit(main())
