/**
 * The PolicyD 2.1.0.0 web UI files the sandbox installs: includes/config.php exactly as the
 * PolicyD commit Zimbra packages ships it, and a stand-in index.php.
 */
export const STOCK_CONFIG_PHP = `<?php

# mysql:host=xx;dbname=yyy
#
# pgsql:host=xx;dbname=yyy
#
# sqlite:////full/unix/path/to/file.db?mode=0666
#
#$DB_DSN="sqlite:////tmp/cluebringer.sqlite";
$DB_DSN="mysql:host=localhost;dbname=cluebringer";
$DB_USER="root";
#$DB_PASS="";
$DB_TABLE_PREFIX="";


#
# THE BELOW SECTION IS UNSUPPORTED AND MEANT FOR THE ORIGINAL SPONSOR OF V2
#

#$DB_POSTFIX_DSN="mysql:host=localhost;dbname=postfix";
#$DB_POSTFIX_USER="root";
#$DB_POSTFIX_PASS="";

?>
`;

export const INDEX_PHP = `<?php
include_once("includes/config.php");
?>
<html>
<head><title>Policyd Web Administration</title></head>
<body>
<h1>Policyd Web Administration</h1>
<p>Policies, groups, access control, HELO/EHLO checks, SPF checks, greylisting, quotas, accounting, amavisd-new.</p>
</body>
</html>
`;
