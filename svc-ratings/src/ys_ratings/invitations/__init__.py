"""Rating invitations (评价邀请): one per evaluation node per 办件, with a one-time token."""
