"""The service layer between the HTTP routes and the store: the app factory, settings, the request's store and
query engine, errors, write protection, allowed hosts, serving, and the request helpers the routes share.

Route modules (`vskg.api`, `vskg.web`) import from here and from the packages below (store, analytics, maps...),
never from each other; only `vskg.service.app` knows the routes. This file imports nothing, so that importing a
service module never drags the routes in.
"""
