"""The web interface: server-rendered pages in Vietnamese (English available) over the tracking service.

Views stay thin: what a task is and who may change it lives in ``dondoc.tracking`` (services, selectors, policy)
and ``dondoc.kpis``; the pages only read forms, call those functions and lay out their answers."""
