{
  "targets": [
    {
      "target_name": "socket_ttl",
      "sources": ["native/socket_ttl.c"]
    }
  ]
}
