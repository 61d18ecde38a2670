import express from 'express';

/** Form bodies of the OAuth endpoints: small, flat (no nested objects), a bounded number of fields. */
export const formBody = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 });
